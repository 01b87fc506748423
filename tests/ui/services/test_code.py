"""Import from curl and copy as curl / Python from the composer."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory
from vessl_gui.emulator import Emulator


def test_import_the_api_pages_curl_example_into_the_base_url_field(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    page_example = (
        'echo \'\n{\n    "method": "POST",\n    "path": "/predictions/my-model",\n'
        '    "data": {\n        "question": "How are you?"\n    }\n}\' | curl \\\n'
        '    -H "Authorization: Bearer ${TOKEN}" \\\n'
        f'    "{emulator.base_url}/async" \\\n    --json @-'
    )
    monkeypatch.setattr(w.services, "confirm", lambda t, text: pytest.fail("no token to offer"))
    w.composer.base_url_edit.setFocus()
    QGuiApplication.clipboard().setText(page_example)
    w.composer.base_url_edit.paste()
    assert w.composer.base_url_edit.text() == emulator.base_url
    assert w.composer.path_edit.text() == "/predictions/my-model"
    assert json.loads(w.composer.data_editor.toPlainText()) == {"question": "How are you?"}
    assert "Imported a create command" in w.statusBar().currentMessage()


def test_import_offers_a_literal_token_and_reports_junk(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    offered: list[str] = []
    monkeypatch.setattr(w.services, "confirm", lambda t, text: offered.append(text) or True)
    cmd = (
        f"curl -X POST {emulator.base_url}/async -H 'Authorization: Bearer {TOKEN}' "
        '-H \'Content-Type: application/json\' -d \'{"data": [1, 2], "path": "/x"}\''
    )
    assert w.services.import_curl(cmd)
    assert offered and w.composer.token_edit.text() == TOKEN
    assert w.ctx.tokens.get(emulator.base_url) == TOKEN
    assert w.composer.data_editor.toPlainText() == "[1, 2]"
    before = w.composer.to_draft()
    assert not w.services.import_curl("this is not a command")
    assert "Could not import" in w.statusBar().currentMessage()
    assert w.composer.to_draft() == before  # nothing the user typed is lost


def test_copy_as_curl_and_python_from_the_composer(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    c = w.composer
    c.base_url_edit.setText(emulator.base_url)
    c.token_edit.setText(TOKEN)
    c.path_edit.setText("/p")
    c.data_editor.setPlainText('{"q": "it\'s $HOME"}')
    clip = QGuiApplication.clipboard()
    w.services.copy_composer("curl")
    assert "${TOKEN}" in clip.text() and TOKEN not in clip.text()
    assert "/async" in clip.text()
    w.services.copy_composer("curl", include_token=True)
    assert TOKEN in clip.text()
    w.services.copy_composer("python")
    compile(clip.text(), "<copied>", "exec")
    assert TOKEN not in clip.text()
    c.data_editor.setPlainText("{bad")
    clip.setText("unchanged")
    w.services.copy_composer("curl")
    assert clip.text() == "unchanged"
    assert "line 1, column 2" in c.data_error.text()
