"""vessl_gui/ui/editor/notice.py: what the notice line says, and when it changes."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from vessl_gui.ui.editor.notice import Notice, notice_lines


def lines(
    *,
    loading: tuple[int, int] | None = None,
    checking: str | None = None,
    reformatting: str | None = None,
    long_lines: dict[int, int] | None = None,
    highlighting: bool = True,
) -> list[tuple[str, str]]:
    return notice_lines(
        loading=loading,
        checking=checking,
        reformatting=reformatting,
        long_lines=long_lines or {},
        link="#123456",
        highlighting=highlighting,
    )


def test_nothing_to_say_is_no_line() -> None:
    assert lines() == []


def test_each_state_has_its_line_in_order() -> None:
    got = lines(
        loading=(42, 5 * 1024 * 1024),
        checking="big.json",
        reformatting="minify",
        long_lines={3: 1_500_000, 7: 2_000_000},
        highlighting=False,
    )
    plain = [p for _, p in got]
    assert plain[:3] == ["Loading 5.0 MB… 42 %", "Checking big.json…", "Minifying…"]
    assert plain[3].startswith("Line 3 has 1,500,000 characters (and 1 more such line), too long")
    assert plain[3].endswith("Show in full (may pause the window) · Clear")
    assert plain[4] == "Syntax highlighting is off for text over 512 KB (keeps typing fast)."
    rich = got[3][0]
    assert '<a href="full" style="color: #123456">Show in full</a>' in rich
    assert '<a href="clear" style="color: #123456">Clear</a>' in rich
    assert lines(reformatting="format") == [("Formatting…", "Formatting…")]


def test_the_label_shows_the_lines_and_says_when_the_text_changed(qtbot: QtBot) -> None:
    links: list[str] = []
    parent = QWidget()
    qtbot.addWidget(parent)
    notice = Notice(parent, links.append)
    assert notice.label.objectName() == "dataEditorNotice"
    assert notice.label.isHidden()
    assert notice.show([("<b>a</b>", "a"), ("b", "b")]) is True
    assert notice.text == "a b"
    assert notice.label.text() == "<b>a</b><br>b"
    assert not notice.label.isHidden()
    assert notice.show([("<i>a</i>", "a"), ("b", "b")]) is False  # same plain text
    assert notice.show([]) is True
    assert notice.text == "" and notice.label.isHidden()
    notice.label.linkActivated.emit("full")
    assert links == ["full"]
