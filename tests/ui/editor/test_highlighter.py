"""vessl_gui/ui/editor/highlighter.py: what is coloured, UTF-16 positions, and
highlighting switched off for large text and very long lines."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.editor.conftest import formats, settle
from vessl_gui.ui.editor import HIGHLIGHT_LIMIT, JsonEditor


def test_keys_strings_numbers_literals_and_punctuation_are_coloured(
    editor: JsonEditor,
) -> None:
    editor.setPlainText('{"key": "value", "n": -1.5e3, "t": true, "z": null}')
    colors = editor.syntax_colors()
    got = formats(editor)
    assert got['"key"'] == colors["key"]
    assert got['"value"'] == colors["string"]
    assert got["-1.5e3"] == colors["number"]
    assert got["true"] == colors["literal"]
    assert got["null"] == colors["literal"]
    assert got["{"] == colors["punctuation"]
    assert len(set(c.rgb() for c in colors.values())) == 5


def test_highlighting_counts_utf16_after_emoji(editor: JsonEditor) -> None:
    editor.setPlainText('["😀", 12]')
    block = editor.document().firstBlock()
    number = [
        r
        for r in block.layout().formats()
        if r.format.foreground().color() == editor.syntax_colors()["number"]
    ]
    # "😀" is two UTF-16 units: the number starts at unit 7 (character 6).
    assert [(r.start, r.length) for r in number] == [(7, 2)]
    string = [
        (r.start, r.length)
        for r in block.layout().formats()
        if r.format.foreground().color() == editor.syntax_colors()["string"]
    ]
    assert string == [(1, 4)]


def test_highlighting_switches_off_above_the_limit_with_a_notice(
    qtbot: QtBot, editor: JsonEditor
) -> None:
    notices: list[str] = []
    editor.notice_changed.connect(notices.append)
    item = '    {"k": "v", "n": 1},\n'
    big = "[\n" + item * (HIGHLIGHT_LIMIT // len(item) + 10) + '    {"k": "v", "n": 1}\n]'
    editor.setPlainText(big)
    settle(qtbot, editor)
    assert not editor.highlighting_enabled()
    assert "highlighting is off" in notices[-1]
    assert formats(editor, 1) == {}
    editor.setPlainText('{"small": 1}')
    settle(qtbot, editor)
    assert editor.highlighting_enabled()
    assert editor.notice() == ""
    assert editor.notice_label.isHidden()
    assert formats(editor)['"small"'] == editor.syntax_colors()["key"]


def test_a_very_long_line_is_left_uncoloured(qtbot: QtBot, editor: JsonEditor) -> None:
    long_line = "[" + ", ".join(["1"] * 60_000) + "]"
    editor.setPlainText('{"a": 1}\n' + long_line)
    settle(qtbot, editor)
    assert editor.highlighting_enabled()
    assert formats(editor, 0)
    assert formats(editor, 1) == {}
