"""The output as a tree: copying values and paths, its menu, pages of big arrays, and
the model under qtmodeltester."""

from __future__ import annotations

import json
import time
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from tests.ui.output.conftest import copied, entry, show
from vessl_gui.ui.output.tree import PAGE, JsonTreeModel
from vessl_gui.ui.output.view import OutputView


def test_tree_copies_values_and_paths(qtbot: QtBot, view: OutputView) -> None:
    show(qtbot, view, entry("/llm", {"prompt": "x"}))
    tree, model = view.tree, view.tree.tree_model
    index = model.find(["choices", 0, "text"])
    assert index.isValid() and index.data() == "text"
    tree.setCurrentIndex(index)
    tree.setFocus()
    with qtbot.waitSignal(tree.copy_requested) as blocker:
        qtbot.keyClick(tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0] == "value of choices[0].text"
    assert blocker.args[1].startswith("You asked: “x”")
    what, text = copied(qtbot, view, view.copy_path_button.click)
    assert (what, text) == ("path", "choices[0].text")
    tree.setCurrentIndex(model.find(["usage"]))
    _, text = copied(qtbot, view, view.copy_value_button.click)
    assert json.loads(text).keys() == {"prompt_tokens", "completion_tokens"}
    tree.setCurrentIndex(model.find(["choices", 0, "logprobs"]))
    assert copied(qtbot, view, view.copy_value_button.click)[1] == "null"
    # the root has no path to copy
    tree.setCurrentIndex(model.top_index())
    with qtbot.assertNotEmitted(view.copy_requested):
        view.copy_path_button.click()
    assert not model.find(["nope"]).isValid()
    assert not model.find(["choices", 5]).isValid()


def test_tree_menu_offers_copy_value_and_path(qtbot: QtBot, view: OutputView) -> None:
    show(qtbot, view, entry("/llm", {"prompt": "x"}))
    tree = view.tree
    index = tree.tree_model.find(["choices", 0, "finish_reason"])
    tree.scrollTo(index)
    menu = tree.context_menu(tree.visualRect(index).center())  # what a right-click shows
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["Copy value", "Copy path"]
    assert tree.currentIndex() == index
    with qtbot.waitSignal(view.copy_requested) as blocker:
        menu.actions()[1].trigger()
    assert blocker.args == ["path", "choices[0].finish_reason"]
    top = tree.tree_model.top_index()
    menu = tree.context_menu(tree.visualRect(top).center())
    assert menu is not None and not menu.actions()[1].isEnabled()  # the root has no path


def test_big_arrays_come_in_pages(qtbot: QtBot, qtmodeltester: Any, view: OutputView) -> None:
    e = entry("/big-array/200000")
    assert len(e.output_json or "") > 5_000_000
    t0 = time.perf_counter()
    show(qtbot, view, e)
    print(f"200 000-item output readable after {time.perf_counter() - t0:.2f} s")
    model = view.tree.tree_model
    items = model.find(["items"])
    assert model.data(model.index(items.row(), 1, items.parent())) == "[200,000 items]"
    view.tree.expand(items)
    made = model.rowCount(items)
    assert made % PAGE == 0 and PAGE <= made <= 4 * PAGE  # pages, as many as the view wants
    assert model.canFetchMore(items)
    model.fetchMore(items)
    assert model.rowCount(items) == made + PAGE
    deep = model.find(["items", 123_456, "i"])
    assert deep.isValid() and model.data(model.index(deep.row(), 1, deep.parent())) == "123456"
    assert "more items: see the tree" in view.text.toPlainText()  # the text is shortened
    assert "Shortened" in view.json_note.text()
    assert len(view.text.toPlainText()) < 500_000


def test_tree_model_passes_qtmodeltester(qtmodeltester: Any) -> None:
    value = {
        "a": [1, 2, {"b": None, "c": [True, False, []]}],
        "e": {},
        "big": list(range(3 * PAGE + 7)),
        "s": "x" * 5000,
        "odd key": {"ü": 1.5},
    }
    # one model per value: the tester's own checks fetch pages while a reset is in flight
    for shown, present in ((value, True), ([[1], {"k": "v"}], True), (None, False)):
        model = JsonTreeModel()
        model.set_value(shown, present=present)
        qtmodeltester.check(model)
        assert model.rowCount(QModelIndex()) == (1 if present else 0)
