"""Fixtures for the details pane's tests: a shown OutputView, and rows whose output is
what the demo model answers."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from vessl_gui.core.models import HistoryEntry
from vessl_gui.emulator.model import demo_model
from vessl_gui.ui.output.view import OutputView

_rows = iter(range(1, 10**6))


def entry(path: str = "/", data: Any = None, state: str = "completed", **kw: Any) -> HistoryEntry:
    """A finished row whose output is what the demo model answers for ``path``."""
    result = demo_model("POST", path, data)
    raw = result.raw_output
    output_json = None
    if raw is not None:
        with contextlib.suppress(ValueError):  # as the client does
            output_json = json.dumps(json.loads(raw), ensure_ascii=False)
    fields: dict[str, Any] = {
        "row_id": next(_rows),
        "created_at": 1000.0,
        "state": state if state != "completed" else result.status,
        "base_url": "http://127.0.0.1:9/api/v1/services/demo",
        "method": "POST",
        "path": path,
        "data": json.dumps(data),
        "request_id": "abc123def456",
        "status_code": result.status_code,
        "raw_output": raw,
        "output_json": output_json,
        "fail_reason": result.fail_reason,
        "sent_at": 1000.4,
        "pending_at": 1001.0,
        "in_progress_at": 1003.0,
        "finished_at": 1010.0,
        "updated_at": 1010.0,
    }
    fields.update(kw)
    return HistoryEntry(**fields)


@pytest.fixture
def view(qtbot: QtBot) -> OutputView:
    v = OutputView()
    qtbot.addWidget(v)
    v.resize(1000, 760)
    v.show()
    qtbot.waitExposed(v)
    return v


def show(qtbot: QtBot, v: OutputView, e: HistoryEntry, timeout: int = 15000) -> None:
    v.show_entry(e)
    qtbot.waitUntil(lambda: not v.is_loading(), timeout=timeout)


def copied(qtbot: QtBot, v: OutputView, action: Any) -> tuple[str, str]:
    with qtbot.waitSignal(v.copy_requested, timeout=2000) as blocker:
        action()
    what, text = blocker.args  # type: ignore[misc]
    return str(what), str(text)
