"""vessl_gui/ui/editor/loading.py: the full text kept byte-exact, large documents loaded
in slices without stalling, shortened long lines, large pastes, undo of large replacements."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt
from pytestqt.qtbot import QtBot

from tests.ui.editor.conftest import Heartbeat, big_payload, settle, underlines
from vessl_gui.core.errors import FieldError
from vessl_gui.core.jsonfmt import format_json, minify_json
from vessl_gui.ui.editor import CHUNK_LIMIT, LONG_LINE_LIMIT, JsonEditor
from vessl_gui.ui.editor.loading import PREVIEW_HEAD, PREVIEW_TAIL, shorten_long_lines


def test_no_break_space_is_kept(editor: JsonEditor) -> None:
    text = '{"a": "1\u00a0000\u2028"}'
    editor.setPlainText(text)
    assert editor.toPlainText() == text
    editor.setPlainText("[1,\r\n2]")
    assert editor.toPlainText() == "[1,\n2]"


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


def test_shorten_long_lines_keeps_the_head_and_tail_of_each_long_line() -> None:
    assert shorten_long_lines("short") is None
    assert shorten_long_lines("x\n" * (LONG_LINE_LIMIT // 2 + 10)) is None  # long, no long line
    long_a = "a" * PREVIEW_HEAD + "m" * LONG_LINE_LIMIT + "z" * PREVIEW_TAIL
    long_b = "b" * (LONG_LINE_LIMIT + 1)
    result = shorten_long_lines("\n".join(["[", long_a, "1", long_b, "]"]))
    assert result is not None
    shown, long_lines = result
    assert long_lines == {2: len(long_a), 4: len(long_b)}
    lines = shown.split("\n")
    assert lines[0] == "[" and lines[2] == "1" and lines[4] == "]"
    assert lines[1] == (
        "a" * PREVIEW_HEAD
        + f" ⋯ [{LONG_LINE_LIMIT:,} more characters not shown] ⋯ "
        + "z" * PREVIEW_TAIL
    )
    assert lines[3].startswith("b" * PREVIEW_HEAD + " ⋯ [")
    assert len(shown) < 5 * (PREVIEW_HEAD + PREVIEW_TAIL + 100)
