"""vessl_gui/ui/editor/opening.py: opening and dropping files (refusals keep the text)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.editor.conftest import settle
from vessl_gui.ui.editor import JsonEditor


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


def test_a_newer_open_wins_over_one_still_being_checked(
    qtbot: QtBot, editor: JsonEditor, tmp_path: Path
) -> None:
    messages: list[str] = []
    editor.message.connect(messages.append)
    editor.setPlainText('{"mine": 1}')
    body = "[" + "1, " * 60_000
    first = tmp_path / "first.json"
    first.write_text(body + "1]", encoding="utf-8")
    second = tmp_path / "second.json"
    second.write_text(body + "2]", encoding="utf-8")
    assert editor.open_file(first) is True
    assert editor.open_file(second) is True
    assert "Checking second.json" in editor.notice()
    settle(qtbot, editor)
    assert editor.toPlainText() == body + "2]"
    assert not any("first.json" in m for m in messages)
    assert messages[-1].startswith("Opened second.json")
    assert editor.notice() == ""
