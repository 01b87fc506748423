"""The readable part of an output: generated text shown wrapped, and text too long to
lay out cut for display."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.output.conftest import copied, entry, show
from vessl_gui.ui.output.tabs import TAB_RAW
from vessl_gui.ui.output.view import OutputView


@pytest.mark.parametrize(
    ("path", "data", "where"),
    [
        ("/llm", {"prompt": "Tell me"}, "choices[0].text"),
        (
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": "Hi"}]},
            "choices[0].message.content",
        ),
    ],
)
def test_generated_text_is_shown_wrapped_above_the_json(
    qtbot: QtBot, view: OutputView, path: str, data: Any, where: str
) -> None:
    e = entry(path, data)
    show(qtbot, view, e)
    expected = json.loads(e.raw_output or "")["choices"][0]
    expected = expected.get("text") or expected["message"]["content"]
    assert view.preview.generated.toPlainText() == expected
    assert where in view.preview.generated_label.text()
    assert view.preview.generated.lineWrapMode() == view.preview.generated.LineWrapMode.WidgetWidth
    assert view.preview.text_box.isVisible() and view.preview.images_panel.isHidden()
    assert view.preview.geometry().bottom() < view.json_split.geometry().top()  # above
    what, text = copied(qtbot, view, view.preview.copy_text_button.click)
    assert (what, text) == ("text", expected)


def test_a_huge_one_line_text_output_is_cut_for_display(qtbot: QtBot, view: OutputView) -> None:
    """Qt needs seconds to lay out one 3-million-character line: only the start is shown."""
    raw = "word " * 600_000
    e = entry("/", None, output_json=None, raw_output=raw)
    t0 = time.perf_counter()
    show(qtbot, view, e)
    view.tabs.setCurrentIndex(TAB_RAW)
    view.raw_text.viewport().repaint()
    took = time.perf_counter() - t0
    assert took < 2.0, took
    shown = view.raw_text.toPlainText()
    assert shown.startswith("word word") and len(shown) < 25_000
    assert "more characters: copy or save for all" in shown
    assert len(view.text.toPlainText()) < 25_000
    assert len(view.preview.generated.toPlainText()) < 25_000
    _, text = copied(qtbot, view, view.copy_raw_button.click)
    assert text == raw  # nothing is lost
