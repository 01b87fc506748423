"""The JSON editor through the real widget (offscreen): highlighting, gutter, brackets,
live validation, format / minify with undo, files (open, drop), and large documents."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPalette,
    QTextCharFormat,
)
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from vessl_gui.core.errors import FieldError
from vessl_gui.core.jsonfmt import format_json, minify_json
from vessl_gui.ui import json_editor
from vessl_gui.ui.json_editor import (
    CHUNK_LIMIT,
    HIGHLIGHT_LIMIT,
    LONG_LINE_LIMIT,
    JsonEditor,
    contrast_ratio,
)

DEADLINE_MS = 20_000


@pytest.fixture
def editor(qtbot: QtBot) -> Iterator[JsonEditor]:
    ed = JsonEditor()
    qtbot.addWidget(ed)
    ed.resize(640, 420)
    ed.show()
    qtbot.waitExposed(ed)
    yield ed


def settle(qtbot: QtBot, ed: JsonEditor, timeout: int = DEADLINE_MS) -> None:
    """Wait until loading, validation and formatting are all done."""
    qtbot.waitUntil(lambda: not ed.is_busy(), timeout=timeout)


def formats(ed: JsonEditor, block_number: int = 0) -> dict[str, QColor]:
    """The highlighter's colours on one block, keyed by the text they cover."""
    block = ed.document().findBlockByNumber(block_number)
    text = block.text()
    return {
        text[r.start : r.start + r.length]: r.format.foreground().color()
        for r in block.layout().formats()
    }


def selections_with(ed: JsonEditor, check: object) -> list[tuple[int, int]]:
    out = []
    for sel in ed.extraSelections():
        if check(sel.format):  # type: ignore[operator]
            out.append((sel.cursor.selectionStart(), sel.cursor.selectionEnd()))
    return out


def underlines(ed: JsonEditor) -> list[tuple[int, int]]:
    return selections_with(
        ed,
        lambda f: f.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline,
    )


class Heartbeat:
    """A 5 ms timer; the longest gap between its ticks is the longest event-loop stall."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def __enter__(self) -> Heartbeat:
        self.last = time.perf_counter()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()
        self._tick()


def big_payload(target: int = 5 * 1024 * 1024) -> str:
    rng = random.Random(4)
    items = []
    size = 0
    i = 0
    while size < target:
        item = {"id": i, "name": f"item {i}", "score": rng.random(), "tags": ["a", "b"], "ok": True}
        items.append(item)
        size += 140
        i += 1
    return json.dumps({"inputs": items, "n": 1.0, "big": 2**70}, indent=4)


# -- appearance ------------------------------------------------------------------------


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


def test_colours_follow_the_palette_and_stay_readable(editor: JsonEditor) -> None:
    editor.setPlainText('{"key": "value", "n": 1}')
    light = editor.syntax_colors()
    for color in light.values():
        assert contrast_ratio(color, editor.palette().color(QPalette.ColorRole.Base)) >= 4.5

    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#dddddd"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#3a6ea5"))
    editor.setPalette(dark)
    colors = editor.syntax_colors()
    assert colors["key"].rgb() != light["key"].rgb()
    for color in colors.values():
        assert contrast_ratio(color, QColor("#1e1e1e")) >= 4.5
    # The text was re-highlighted with the new colours.
    assert formats(editor)['"key"'] == colors["key"]
    assert formats(editor)['"value"'] == colors["string"]


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


def test_font_is_monospace(editor: JsonEditor) -> None:
    fm = editor.fontMetrics()
    assert fm.horizontalAdvance("i") == fm.horizontalAdvance("W")


def test_current_line_is_highlighted(editor: JsonEditor) -> None:
    editor.setPlainText("[\n  1\n]")
    editor.move_cursor_to(2, 2)
    full = [
        s
        for s in editor.extraSelections()
        if s.format.property(QTextCharFormat.Property.FullWidthSelection)
    ]
    assert len(full) == 1
    assert full[0].cursor.blockNumber() == 1


# -- brackets ------------------------------------------------------------------------------


def test_matching_bracket_is_found_across_lines_and_skips_strings(editor: JsonEditor) -> None:
    text = '{\n    "a": [1, "]", {"b": "}"}],\n    "c": 2\n}'
    editor.setPlainText(text)
    editor.move_cursor_to(2, 11)  # just after "["
    open_pos = text.index("[")
    close_pos = text.index("],")
    assert editor.bracket_match() == (open_pos, close_pos)
    bg = [
        s
        for s in editor.extraSelections()
        if s.format.background().style() != Qt.BrushStyle.NoBrush
        and not s.format.property(QTextCharFormat.Property.FullWidthSelection)
    ]
    assert sorted((s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in bg) == [
        (open_pos, open_pos + 1),
        (close_pos, close_pos + 1),
    ]
    editor.move_cursor_to(1, 1)  # before the outer "{"
    assert editor.bracket_match() == (0, len(text) - 1)
    editor.move_cursor_to(4, 2)  # after the outer "}"
    assert editor.bracket_match() == (len(text) - 1, 0)


def test_unmatched_bracket_is_marked(editor: JsonEditor) -> None:
    editor.setPlainText('[1, {"a": 2]')
    editor.move_cursor_to(1, 5)  # after "{"
    assert editor.bracket_match() == (4, None)
    editor.move_cursor_to(1, 3)  # no bracket next to the cursor
    assert editor.bracket_match() is None


# -- editing keys ------------------------------------------------------------------------------


def test_tab_inserts_spaces_and_shift_tab_dedents(qtbot: QtBot, editor: JsonEditor) -> None:
    editor.setPlainText("")
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    "
    qtbot.keyClicks(editor, "ab")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    ab  "  # to the next multiple of 4

    editor.setPlainText("[\n1,\n2\n]")
    cursor = editor.textCursor()
    cursor.setPosition(2)
    cursor.setPosition(6, cursor.MoveMode.KeepAnchor)  # lines 2 and 3
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "[\n    1,\n    2\n]"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == "[\n1,\n2\n]"
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "[\n    1,\n    2\n]"


def test_enter_keeps_indentation(qtbot: QtBot, editor: JsonEditor) -> None:
    editor.setPlainText("{}")
    editor.setFocus()
    editor.move_cursor_to(1, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "{\n    \n}"
    qtbot.keyClicks(editor, '"a": [')
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "1,")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "2")
    assert editor.toPlainText() == '{\n    "a": [\n        1,\n        2\n}'


def test_ctrl_enter_goes_to_the_window_shortcut(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    ed = JsonEditor()
    QVBoxLayout(window).addWidget(ed)
    sent: list[bool] = []
    send = QAction("Send", window)
    send.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    send.triggered.connect(lambda: sent.append(True))
    window.addAction(send)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    ed.setFocus()
    ed.setPlainText("[1]")
    qtbot.keyClick(ed, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent == [True]
    assert ed.toPlainText() == "[1]"


# -- live validation ------------------------------------------------------------------------


def test_live_validation_is_debounced_and_underlines_the_error(
    qtbot: QtBot, editor: JsonEditor
) -> None:
    seen: list[FieldError | None] = []
    editor.validity_changed.connect(seen.append)
    label = QLabel()
    qtbot.addWidget(label)
    editor.set_error_label(label)
    editor.setFocus()
    qtbot.keyClicks(editor, '{"a": }')
    assert seen == []  # nothing before the pause
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=DEADLINE_MS)
    error = seen[0]
    assert error is not None and (error.line, error.column) == (1, 7)
    assert editor.current_error() == error
    assert underlines(editor) == [(6, 7)]  # the "}"
    assert label.text() == f"⚠ line 1, column 7: {error.message}"
    assert not label.isHidden()

    qtbot.keyClick(editor, Qt.Key.Key_Left)
    qtbot.keyClicks(editor, "1")
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=DEADLINE_MS)
    assert seen[1] is None
    assert underlines(editor) == []
    assert label.isHidden()


def test_error_at_the_end_underlines_the_last_character(qtbot: QtBot, editor: JsonEditor) -> None:
    editor.setPlainText('{"a": [1, 2')
    settle(qtbot, editor)
    error = editor.current_error()
    assert error is not None
    assert underlines(editor) == [(10, 11)]


def test_error_column_after_emoji_maps_to_the_right_character(
    qtbot: QtBot, editor: JsonEditor
) -> None:
    editor.setPlainText('{"😀": x}')
    settle(qtbot, editor)
    error = editor.current_error()
    assert error is not None and (error.line, error.column) == (1, 7)
    assert underlines(editor) == [(7, 8)]  # "x", after a two-unit emoji
    editor.move_cursor_to(error.line, error.column)
    assert editor.textCursor().position() == 7


def test_blank_text_is_reported_but_the_label_stays_hidden(
    qtbot: QtBot, editor: JsonEditor
) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    editor.set_error_label(label)
    editor.setPlainText("   ")
    settle(qtbot, editor)
    error = editor.current_error()
    assert error is not None and "required" in error.message
    assert label.isHidden()


# -- format and minify ------------------------------------------------------------------------

TRICKY = '{"z": 1.0, "a": [1e400, -0, 1E+2, 1180591620717411303424], "s": "\\u00e9\\/\\n", "e": {}}'


def test_format_and_minify_keep_the_text_and_undo(qtbot: QtBot, editor: JsonEditor) -> None:
    messages: list[str] = []
    editor.message.connect(messages.append)
    editor.setPlainText(TRICKY)
    editor.setFocus()
    qtbot.keyClick(
        editor,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.toPlainText() == format_json(TRICKY)
    assert '"a": [\n        1e400,\n        -0,\n        1E+2,\n        1180591620717411303424' in (
        editor.toPlainText()
    )
    assert messages[-1].startswith("Formatted")
    qtbot.keyClick(
        editor,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.toPlainText() == minify_json(TRICKY)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == format_json(TRICKY)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == TRICKY


def test_format_refuses_invalid_json_and_keeps_the_text(qtbot: QtBot, editor: JsonEditor) -> None:
    messages: list[str] = []
    editor.message.connect(messages.append)
    bad = '{\n  "a": 1,\n  "b": }'
    editor.setPlainText(bad)
    assert editor.format_document() is False
    assert editor.minify_document() is False
    assert editor.toPlainText() == bad
    assert messages[-1] == "Cannot minify: line 3, column 8: Expecting value"
    cursor = editor.textCursor()
    assert (cursor.blockNumber() + 1, cursor.positionInBlock() + 1) == (3, 8)
    assert editor.current_error() is not None


def test_no_break_space_is_kept(editor: JsonEditor) -> None:
    text = '{"a": "1\u00a0000\u2028"}'
    editor.setPlainText(text)
    assert editor.toPlainText() == text
    editor.setPlainText("[1,\r\n2]")
    assert editor.toPlainText() == "[1,\n2]"


# -- files ---------------------------------------------------------------------------------------


def test_open_file_strips_bom_and_undo_restores(
    qtbot: QtBot, editor: JsonEditor, tmp_path: Path
) -> None:
    messages: list[str] = []
    editor.message.connect(messages.append)
    editor.setPlainText('{"mine": 1}')
    path = tmp_path / "payload.json"
    path.write_bytes(b'\xef\xbb\xbf{"from": "file", "n": 1.0}\n')
    assert editor.open_file(path) is True
    assert editor.toPlainText() == '{"from": "file", "n": 1.0}\n'
    assert messages[-1].startswith("Opened payload.json")
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == '{"mine": 1}'


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'{"a": "caf\xe9"}', "not UTF-8 text (byte 0xe9 at offset 10)"),
        ('{"a": 1}'.encode("utf-16"), "UTF-16"),
        (b"name,score\nann,1\n", "not valid JSON (line 1, column 1: Expecting value)"),
        (b'{"a": 1, "a": 2}', "duplicate key"),
        (b"  \n", "the file is empty"),
    ],
)
def test_bad_files_are_refused_and_the_text_is_kept(
    editor: JsonEditor, tmp_path: Path, content: bytes, why: str
) -> None:
    messages: list[str] = []
    editor.message.connect(messages.append)
    editor.setPlainText('{"mine": 1}')
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert editor.open_file(path) is False
    assert editor.toPlainText() == '{"mine": 1}'
    assert len(messages) == 1
    assert messages[0].startswith("Cannot open bad.json: ")
    assert why in messages[0]
    assert messages[0].endswith("The editor was not changed.")


def test_large_file_is_checked_in_the_background(
    qtbot: QtBot, editor: JsonEditor, tmp_path: Path
) -> None:
    messages: list[str] = []
    editor.message.connect(messages.append)
    editor.setPlainText('{"mine": 1}')
    body = "[" + "1, " * 60_000
    bad = tmp_path / "bad.json"
    bad.write_text(body + "]", encoding="utf-8")  # trailing comma
    assert editor.open_file(bad) is True  # accepted for checking
    assert "Checking bad.json" in editor.notice()
    settle(qtbot, editor)
    assert editor.toPlainText() == '{"mine": 1}'
    assert messages[-1].startswith("Cannot open bad.json: it is not valid JSON (line 1, column")
    good = tmp_path / "good.json"
    good.write_text(body + "2]", encoding="utf-8")
    assert editor.open_file(good) is True
    settle(qtbot, editor)
    assert editor.toPlainText() == body + "2]"
    assert messages[-1].startswith("Opened good.json")
    assert editor.notice() == ""


def test_missing_file_and_folder_are_refused(editor: JsonEditor, tmp_path: Path) -> None:
    messages: list[str] = []
    editor.message.connect(messages.append)
    editor.setPlainText("[1]")
    assert editor.open_file(tmp_path / "nope.json") is False
    assert editor.open_file(tmp_path) is False
    assert editor.toPlainText() == "[1]"
    assert "No such file" in messages[0]
    assert "folder" in messages[1]


def drop(ed: JsonEditor, urls: list[QUrl]) -> bool:
    """Drag ``urls`` onto the editor's viewport and drop them; True if the drop was accepted."""
    mime = QMimeData()
    mime.setUrls(urls)
    where = QPointF(20, 20)
    enter = QDragEnterEvent(
        where.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(ed.viewport(), enter)
    assert enter.isAccepted()
    event = QDropEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(ed.viewport(), event)
    return bool(event.isAccepted())


def test_dropping_a_file_opens_it(editor: JsonEditor, tmp_path: Path) -> None:
    messages: list[str] = []
    editor.message.connect(messages.append)
    editor.setPlainText("[1]")
    good = tmp_path / "good.json"
    good.write_text('{"dropped": true}', encoding="utf-8")
    assert drop(editor, [QUrl.fromLocalFile(str(good))])
    assert editor.toPlainText() == '{"dropped": true}'

    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    drop(editor, [QUrl.fromLocalFile(str(bad))])
    assert editor.toPlainText() == '{"dropped": true}'
    assert "Cannot open bad.bin" in messages[-1]

    drop(editor, [QUrl.fromLocalFile(str(good)), QUrl.fromLocalFile(str(bad))])
    assert "one file at a time" in messages[-1]
    drop(editor, [QUrl("https://example.com/x.json")])
    assert "Only local files" in messages[-1]
    assert editor.toPlainText() == '{"dropped": true}'


# -- large documents ----------------------------------------------------------------------------


@pytest.mark.slow
def test_5mb_payload_loads_and_validates_without_stalling(qtbot: QtBot, editor: JsonEditor) -> None:
    text = big_payload()
    assert len(text) > 5 * 1024 * 1024
    editor.setPlainText('{"before": 1}')
    settle(qtbot, editor)
    seen: list[FieldError | None] = []
    editor.validity_changed.connect(seen.append)
    editor.setPlainText(text + "\n,")  # invalid at the very end: validation must reach it
    start = time.perf_counter()
    with Heartbeat() as beat:
        assert editor.toPlainText() == text + "\n,"  # right away, while loading
        settle(qtbot, editor, timeout=60_000)
    took = time.perf_counter() - start
    print(f"\n5 MB load + validation: {took:.2f} s, longest stall {beat.longest * 1000:.0f} ms")
    assert seen and seen[-1] is not None
    assert seen[-1].line == text.count("\n") + 2
    assert not editor.highlighting_enabled()
    assert "highlighting is off" in editor.notice()
    assert editor.notice_label.isVisible()
    assert editor.blockCount() == text.count("\n") + 2
    assert beat.longest < 0.3


@pytest.mark.slow
def test_5mb_open_format_and_undo_without_stalling(
    qtbot: QtBot, editor: JsonEditor, tmp_path: Path
) -> None:
    text = big_payload()
    minified = minify_json(text)
    path = tmp_path / "big.json"
    path.write_text(minified, encoding="utf-8")
    with Heartbeat() as beat:
        assert editor.open_file(path)  # one line of 4 MB: shown shortened
        settle(qtbot, editor, timeout=60_000)
    print(f"\n5 MB open (one line): longest stall {beat.longest * 1000:.0f} ms")
    assert beat.longest < 0.3
    assert editor.is_shortened()
    assert editor.isReadOnly()
    assert "too long to show" in editor.notice()
    assert editor.toPlainText() == minified
    assert editor.document().characterCount() < 10_000
    assert editor.current_error() is None

    with Heartbeat() as beat:
        assert editor.format_document() is True
        settle(qtbot, editor, timeout=60_000)
    print(f"5 MB format: longest stall {beat.longest * 1000:.0f} ms")
    assert editor.toPlainText() == format_json(minified)
    assert not editor.is_shortened()
    assert not editor.isReadOnly()
    assert beat.longest < 0.3

    editor.setFocus()
    with Heartbeat() as beat:
        qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot, editor, timeout=60_000)
    print(f"5 MB undo: longest stall {beat.longest * 1000:.0f} ms")
    assert editor.toPlainText() == minified
    assert beat.longest < 0.3


def test_long_line_is_shown_shortened_and_kept_whole(qtbot: QtBot, editor: JsonEditor) -> None:
    blob = "QUJD" * (LONG_LINE_LIMIT // 4 + 10)
    text = '{"image": "' + blob + '", "n": 1}'
    with Heartbeat() as beat:
        editor.setPlainText(text)
        settle(qtbot, editor)
    assert beat.longest < 0.3
    assert editor.is_shortened()
    assert editor.toPlainText() == text
    shown = editor.document().toPlainText()
    assert "more characters not shown" in shown
    assert len(shown) < 5000
    assert editor.current_error() is None
    # Validation still sees the hidden part.
    editor.setPlainText(text[:-1])
    settle(qtbot, editor)
    error = editor.current_error()
    assert error is not None and error.column == len(text)
    assert underlines(editor) == []  # the position is in the hidden part
    # "Clear" (the notice link) is undoable.
    editor.setPlainText(text)
    settle(qtbot, editor)
    editor._on_notice_link("clear")
    settle(qtbot, editor)
    assert editor.toPlainText() == ""
    assert not editor.is_shortened()
    editor.undo()
    settle(qtbot, editor)
    assert editor.toPlainText() == text


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


def test_pasting_a_large_text_goes_through_the_loader(qtbot: QtBot, editor: JsonEditor) -> None:
    editor.setPlainText("[1, ]")
    editor.move_cursor_to(1, 5)
    chunk = ", ".join(["12345678"] * (CHUNK_LIMIT // 10 + 10))
    mime = QMimeData()
    mime.setText(chunk)
    editor.insertFromMimeData(mime)
    assert editor.is_loading()
    settle(qtbot, editor)
    assert editor.toPlainText() == "[1, " + chunk + "]"
    assert editor.current_error() is None
    editor.undo()
    settle(qtbot, editor)
    assert editor.toPlainText() == "[1, ]"


def test_large_validation_runs_off_the_gui_thread(
    qtbot: QtBot, editor: JsonEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    threads: list[str] = []
    real = json_editor.check_json

    def spy(text: str) -> FieldError | None:
        threads.append(threading.current_thread().name)
        return real(text)

    monkeypatch.setattr(json_editor, "check_json", spy)
    editor.setPlainText("[" + "1, " * 40_000 + "2]")
    settle(qtbot, editor)
    assert threads and threads[-1].startswith("json-editor-")
    assert editor.current_error() is None
    editor.setPlainText("[1, 2]")
    settle(qtbot, editor)
    assert threads[-1] == threading.main_thread().name


def test_stale_background_result_is_not_applied(qtbot: QtBot, editor: JsonEditor) -> None:
    seen: list[FieldError | None] = []
    editor.validity_changed.connect(seen.append)
    big_bad = "[" + "1, " * 50_000 + "]"  # trailing comma: invalid
    editor.setPlainText(big_bad)
    editor.validate_now()
    editor.setPlainText("[1]")  # changes before the worker answers
    settle(qtbot, editor)
    assert editor.current_error() is None
    assert all(e is None for e in seen)


def test_shift_enter_inserts_a_plain_line_break(qtbot: QtBot, editor: JsonEditor) -> None:
    editor.setPlainText("[1,2]")
    editor.setFocus()
    editor.move_cursor_to(1, 4)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == "[1,\n2]"  # not U+2028, which is not JSON whitespace


def test_actions_have_their_shortcuts(editor: JsonEditor) -> None:
    shortcuts = {
        a.objectName(): a.shortcut().toString()
        for a in (editor.format_action, editor.minify_action, editor.open_action)
    }
    assert shortcuts == {
        "formatJsonAction": "Ctrl+Shift+F",
        "minifyJsonAction": "Ctrl+Shift+M",
        "openJsonAction": "Ctrl+O",
    }
    assert editor.format_action in editor.actions()


def test_a_very_long_line_is_left_uncoloured(qtbot: QtBot, editor: JsonEditor) -> None:
    long_line = "[" + ", ".join(["1"] * 60_000) + "]"
    editor.setPlainText('{"a": 1}\n' + long_line)
    settle(qtbot, editor)
    assert editor.highlighting_enabled()
    assert formats(editor, 0)
    assert formats(editor, 1) == {}


def test_the_composer_uses_this_editor(qtbot: QtBot) -> None:
    from vessl_gui.ui.composer import Composer

    composer = Composer()
    qtbot.addWidget(composer)
    assert isinstance(composer.data_editor, JsonEditor)
    assert composer.data_editor.objectName() == "dataEditor"


def test_known_valid_only_for_the_checked_text(qtbot: QtBot, editor: JsonEditor) -> None:
    assert not editor.is_known_valid()  # nothing checked yet
    editor.setPlainText('{"a": 1}')
    assert not editor.is_known_valid()  # the check is still debounced
    editor.validate_now()
    assert editor.is_known_valid()
    editor.textCursor().insertText(" ")  # any edit: the result is for the old text
    assert not editor.is_known_valid()
    settle(qtbot, editor)
    assert editor.is_known_valid()
    editor.setPlainText('{"a": }')
    editor.validate_now()
    assert editor.current_error() is not None and not editor.is_known_valid()
    big = "[" + "1, " * 40_000 + "2]"  # checked on a worker thread
    editor.setPlainText(big)
    editor.validate_now()
    assert not editor.is_known_valid()  # until the worker answers
    settle(qtbot, editor)
    assert editor.is_known_valid() and editor.toPlainText() == big
