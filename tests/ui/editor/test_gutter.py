"""vessl_gui/ui/editor/gutter.py: the line-number gutter and the margins' layout."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.editor.conftest import settle
from vessl_gui.ui.editor import LONG_LINE_LIMIT, JsonEditor


def test_gutter_width_grows_with_line_count(qtbot: QtBot, editor: JsonEditor) -> None:
    editor.setPlainText("[\n1\n]")
    narrow = editor.gutter_width()
    assert editor.gutter.width() == narrow
    assert editor.viewport().x() >= narrow
    editor.setPlainText("[\n" + "1,\n" * 99_999 + "1\n]")
    settle(qtbot, editor)
    assert editor.blockCount() == 100_002
    wide = editor.gutter_width()
    assert wide > narrow
    assert editor.gutter.width() == wide
    assert editor.viewport().x() >= wide
    editor.gutter.repaint()  # paints only the visible lines


def test_gutter_and_notice_follow_the_viewport(qtbot: QtBot, editor: JsonEditor) -> None:
    """The gutter spans the viewport's height (the editor works the viewport's rectangle
    out without calling viewport(): see _viewport_rect) and the notice sits under it."""

    def check() -> None:
        vp = editor.viewport().geometry()
        assert editor.gutter.geometry().top() == vp.top()
        assert editor.gutter.geometry().height() == vp.height()
        assert editor.gutter.geometry().right() < vp.left()
        if editor.notice_label.isVisible():
            assert editor.notice_label.geometry().top() == vp.bottom() + 1
            assert editor.notice_label.geometry().right() == vp.right()

    check()
    editor.setPlainText("\n".join("x" * 300 for _ in range(200)))  # both scroll bars
    settle(qtbot, editor)
    assert editor.horizontalScrollBar().isVisible() and editor.verticalScrollBar().isVisible()
    check()
    editor.setPlainText("y" * 400)  # only the horizontal one
    settle(qtbot, editor)
    assert not editor.verticalScrollBar().isVisible()
    check()
    editor.setPlainText("\n".join(["z" * (LONG_LINE_LIMIT + 10), *"abc"]))  # a notice
    settle(qtbot, editor)
    assert editor.notice_label.isVisible()
    check()
    editor.resize(500, 300)
    check()
