"""OutputView through its real widgets: the output as pretty text with its facts and
buttons, the Raw and Sent tabs filled when looked at, and showing the same row again."""

from __future__ import annotations

import json
import time

from pytestqt.qtbot import QtBot

from tests.ui.output.conftest import copied, entry, show
from vessl_gui.core.models import HistoryEntry
from vessl_gui.ui.output.tabs import TAB_RAW, TAB_SENT
from vessl_gui.ui.output.view import OutputView


def test_json_output_as_pretty_text_tree_and_facts(qtbot: QtBot, view: OutputView) -> None:
    e = entry("/predict", {"question": "How are you?", "n": [1, 2.5]})
    show(qtbot, view, e)
    assert view.fact("ID") == "abc123def456"
    assert view.fact("Status") == "completed"
    assert view.fact("Service answered") == "HTTP 200"
    assert view.fact("Fail reason") == ""
    assert view.banner.isHidden()
    assert json.loads(view.text.toPlainText())["echo"] == {
        "question": "How are you?",
        "n": [1, 2.5],
    }
    assert view.json_note.isHidden()  # nothing shortened
    assert view.preview.isHidden()  # no pictures, no generated text
    # the tree: the whole output on top, expanded
    model = view.tree.tree_model
    top = model.top_index()
    assert top.data() == "output" and view.tree.isExpanded(top)
    keys = [model.index(r, 0, top).data() for r in range(model.rowCount(top))]
    assert keys == ["echo", "method", "path"]
    # copy output: the whole output, pretty; copy raw: as the service sent it
    assert view.copy_output_button.isEnabled()
    what, text = copied(qtbot, view, view._copy_output)
    assert what == "output" and json.loads(text)["path"] == "/predict"
    what, text = copied(qtbot, view, lambda: view.copy_raw_button.click())
    assert (what, text) == ("raw output", e.raw_output)
    # the Sent tab shows the request
    view.tabs.setCurrentIndex(TAB_SENT)
    assert "POST /predict" in view.sent_text.toPlainText()
    assert '"question": "How are you?"' in view.sent_text.toPlainText()


def test_raw_output_tab_and_plain_text_outputs(qtbot: QtBot, view: OutputView) -> None:
    e = entry("/text")
    show(qtbot, view, e)
    assert e.output_json is None
    assert view.text.toPlainText() == e.raw_output
    assert "not JSON" in view.json_note.text()
    assert view.texts()[0].text == e.raw_output  # shown as readable text too
    assert not view.tree.tree_model.top_index().isValid()
    view.tabs.setCurrentIndex(TAB_RAW)
    assert view.raw_text.toPlainText() == e.raw_output
    # the Raw tab follows the shown row, also when it is the current tab
    other = entry("/unicode")
    show(qtbot, view, other)
    assert view.raw_text.toPlainText() == other.raw_output
    show(qtbot, view, entry("/fail"))
    assert "no raw_output" in view.raw_text.toPlainText()


def test_showing_the_same_entry_again_is_cheap(qtbot: QtBot, view: OutputView) -> None:
    e = entry("/image/1200x1200/noise")
    show(qtbot, view, e)
    gen = view.loader.generation
    t0 = time.perf_counter()
    for i in range(200):  # what polling does: the same row, a new updated_at
        again = HistoryEntry(**{**e.__dict__, "updated_at": e.updated_at + i})
        view.show_entry(again)
    per_call = (time.perf_counter() - t0) / 200 * 1000
    print(f"show_entry of an unchanged 5 MB output: {per_call:.2f} ms per call")
    assert per_call < 10
    assert view.loader.generation == gen and view.tiles()[0].decoded is not None


def test_the_sent_tab_is_filled_when_it_is_looked_at(qtbot: QtBot, view: OutputView) -> None:
    big = entry("/predict", {"blob": "x" * 2_000_000})
    show(qtbot, view, big)
    assert view.tabs.currentIndex() != TAB_SENT
    assert view.sent_text.toPlainText() == ""  # not pretty-printed nor laid out yet
    view.tabs.setCurrentIndex(TAB_SENT)
    text = view.sent_text.toPlainText()
    assert text.startswith("POST /predict\nhttp://127.0.0.1:9/") and '"blob": "xxx' in text
    other = entry("/echo", {"question": "Why?"})
    show(qtbot, view, other)  # the Sent tab is showing: filled at once
    assert '"question": "Why?"' in view.sent_text.toPlainText()
    view.tabs.setCurrentIndex(0)
    show(qtbot, view, big)
    assert view.sent_text.toPlainText() == ""
    view.show_entry(None)
    view.tabs.setCurrentIndex(TAB_SENT)
    assert view.sent_text.toPlainText() == ""
