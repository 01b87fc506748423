"""The top of the details pane: the facts (timings) and the banner of a failure."""

from __future__ import annotations

import json

from pytestqt.qtbot import QtBot

from tests.ui.output.conftest import entry, show
from vessl_gui.ui.output.view import OutputView


def test_timings_in_the_facts(qtbot: QtBot, view: OutputView) -> None:
    show(qtbot, view, entry())
    times = view.fact("Times")
    assert "waited 2.6 s" in times  # 1000.4 accepted -> 1003.0 first seen running
    assert "ran 7.0 s" in times and "total 10 s" in times
    assert "polling interval's precision" in times
    assert "precision" in view.facts.values["Times"].toolTip()
    unseen = entry(in_progress_at=None)
    show(qtbot, view, unseen)
    assert "started and finished between two checks" in view.fact("Times")
    running = entry(state="in_progress", finished_at=None, raw_output=None, output_json=None)
    show(qtbot, view, running)
    assert "running since" in view.fact("Times") and "total" not in view.fact("Times")
    assert "Not ready yet" in view.text.toPlainText()


def test_failed_request_stands_out_at_the_top(qtbot: QtBot, view: OutputView) -> None:
    show(qtbot, view, entry("/status/503"))
    assert view.banner.isVisible()
    banner = view.banner.text()
    assert banner.startswith("Failed — HTTP 503\n")
    assert "service answered HTTP 503 Service Unavailable" in banner
    assert view.banner.y() < view.tabs.y()  # above the output
    assert view.fact("Fail reason") == "service answered HTTP 503 Service Unavailable"
    assert view.fact("Service answered") == "HTTP 503"
    assert json.loads(view.text.toPlainText()) == {
        "error": "Service Unavailable",
        "status_code": 503,
    }
    # a failure without code or output
    show(qtbot, view, entry("/fail"))
    assert view.banner.text() == "Failed — no status code\ninternal error"
    assert not view.copy_raw_button.isEnabled() and not view.save_button.isEnabled()
    # an entry that never got sent
    sent_error = entry(state="send_error", message="The token was rejected (401).")
    show(qtbot, view, sent_error)
    assert view.banner.text() == "Not sent — The token was rejected (401)."
    view.show_entry(None)
    assert view.banner.isHidden() and view.placeholder.isVisible()
