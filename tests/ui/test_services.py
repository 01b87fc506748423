"""Services (profiles), saved requests, drafts, import from curl and copy as code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory
from vessl_gui.emulator import Emulator
from vessl_gui.ui.window import MainWindow


def answer_text(monkeypatch: pytest.MonkeyPatch, w: MainWindow, *answers: str | None) -> list[str]:
    asked: list[str] = []
    queue = list(answers)

    def ask(title: str, label: str, text: str = "") -> str | None:
        asked.append(f"{title}: {label} [{text}]")
        return queue.pop(0)

    monkeypatch.setattr(w.services, "ask_text", ask)
    return asked


def test_new_base_url_offers_to_save_a_service_restored_on_restart(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    w = make_window()
    bar = w.service_bar
    assert bar.notice_box.isHidden()
    w.composer.base_url_edit.setText(emulator.base_url + "/")
    w.composer.base_url_edit.editingFinished.emit()
    assert not bar.notice_box.isHidden()
    assert "not one of your saved services" in bar.notice.text()
    asked = answer_text(monkeypatch, w, "Demo model")
    qtbot.mouseClick(bar.notice_button, Qt.MouseButton.LeftButton)
    assert "[demo]" in asked[0]  # the slug is suggested as the name
    assert bar.profile_combo.currentText() == "Demo model"
    assert bar.notice_box.isHidden()
    # The services file has no token, and the next start selects the service again.
    w.composer.token_edit.setText(TOKEN)
    w.save_token()
    w.close()
    text = (tmp_path / "services.json").read_text(encoding="utf-8")
    assert "Demo model" in text and TOKEN not in text
    w2 = make_window()
    assert w2.service_bar.profile_combo.currentText() == "Demo model"
    assert w2.composer.base_url_edit.text() == emulator.base_url


def test_rename_duplicate_delete_service(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    s = w.services
    answer_text(
        monkeypatch,
        w,
        "https://serve-api.vessl.ai/api/v1/services/abc",
        "Prod",
        "Production",
        "Production",
    )
    s.add_action.trigger()
    assert w.service_bar.profile_combo.currentText() == "Prod"
    assert w.composer.base_url_edit.text() == "https://serve-api.vessl.ai/api/v1/services/abc"
    s.rename_action.trigger()
    assert w.service_bar.profile_combo.currentText() == "Production"
    s.duplicate_action.trigger()
    names = [
        w.service_bar.profile_combo.itemText(i) for i in range(w.service_bar.profile_combo.count())
    ]
    assert len(names) == 3 and "Production" in names
    # A duplicate name is refused with a clear message.
    s.rename_action.trigger()
    assert "Not renamed" in w.statusBar().currentMessage()
    monkeypatch.setattr(s, "confirm", lambda t, text: True)
    s.delete_action.trigger()
    assert w.service_bar.profile_combo.count() == 2


def test_saved_requests_save_load_export_import(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    w = make_window()
    s = w.services
    c = w.composer
    c.base_url_edit.setText("https://serve-api.vessl.ai/api/v1/services/abc")
    c.path_edit.setText("/v1/completions")
    c.data_editor.setPlainText('{"prompt": "hi", "n": 1.0}')
    # Ctrl+S with no service yet: it offers to create one, then asks the request's name.
    answer_text(monkeypatch, w, "abc", "Completion")
    qtbot.keyClick(c.path_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    combo = w.service_bar.saved_combo
    assert combo.currentText() == "Completion"
    c.path_edit.setText("/other")
    c.data_editor.setPlainText("null")
    combo.activated.emit(combo.findText("Completion"))
    assert c.path_edit.text() == "/v1/completions"
    assert c.data_editor.toPlainText() == '{"prompt": "hi", "n": 1.0}'
    out = tmp_path / "saved.json"
    monkeypatch.setattr(s, "ask_save_path", lambda t, suggested: str(out))
    s.saved.export_action.trigger()
    exported = out.read_text(encoding="utf-8")
    assert "Completion" in exported and TOKEN not in exported
    monkeypatch.setattr(s, "confirm", lambda t, text: True)
    s.saved.delete_saved_action.trigger()
    assert combo.findText("Completion") < 0
    monkeypatch.setattr(s, "ask_open_path", lambda t: str(out))
    s.saved.import_action.trigger()
    assert combo.findText("Completion") > 0
    assert "Imported 1 new" in w.statusBar().currentMessage()
    # A broken import file is reported, nothing is lost.
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    monkeypatch.setattr(s, "ask_open_path", lambda t: str(bad))
    s.saved.import_action.trigger()
    assert "Import failed" in w.statusBar().currentMessage()
    assert combo.findText("Completion") > 0


def test_draft_survives_a_restart(qtbot: QtBot, make_window: WindowFactory) -> None:
    w = make_window()
    c = w.composer
    c.base_url_edit.setText("https://serve-api.vessl.ai/api/v1/services/zzz")
    c.path_edit.setText("/draft")
    c.data_editor.setPlainText('{"unsaved": "work"}')
    qtbot.waitUntil(lambda: not w.services.drafts.timer.isActive(), timeout=5000)
    # Simulate a crash: no closeEvent, no save_state.
    w.shutdown()
    w2 = make_window()
    assert w2.composer.path_edit.text() == "/draft"
    assert w2.composer.data_editor.toPlainText() == '{"unsaved": "work"}'
    assert w2.composer.token_edit.text() == ""


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


def test_a_services_own_timeouts_are_used(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    profile = w.services.store.add_profile("slowpoke", emulator.base_url, read_timeout=0.5)
    w.services.refresh_profiles()
    combo = w.service_bar.profile_combo
    combo.setCurrentIndex(combo.findData(profile.id))  # as the user picks it
    assert w.composer.base_url_edit.text() == emulator.base_url
    emulator.set_latency(1.5)
    w.composer.token_edit.setText(TOKEN)
    w.composer.data_editor.setPlainText("{}")
    w.send()
    qtbot.waitUntil(lambda: w.model.summary_at(0).state == "unknown", timeout=10000)  # type: ignore[union-attr]
    assert "within 0.5 s" in w.model.summary_at(0).message  # type: ignore[union-attr]


def test_edit_a_services_tls_and_timeouts(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from vessl_gui.ui.services.dialog import ServiceDialog

    w = make_window()
    p = w.services.store.add_profile("svc", "https://serve-api.vessl.ai/api/v1/services/abc")
    w.services.refresh_profiles()
    combo = w.service_bar.profile_combo
    combo.setCurrentIndex(combo.findData(p.id))
    # The real dialog shows the profile's values and returns the edit.
    dialog = ServiceDialog(p, w)
    dialog.read_timeout.setValue(7)
    dialog.verify.setChecked(False)
    assert dialog.edited().read_timeout == 7 and dialog.edited().verify_tls is False
    dialog.deleteLater()
    monkeypatch.setattr(
        w.services,
        "edit_profile_dialog",
        lambda prof: replace(prof, read_timeout=7.0, verify_tls=False),
    )
    w.services.edit_action.trigger()
    cfg = w.client_config(p.base_url)
    assert cfg.timeouts.read == 7.0 and cfg.verify is False
    # A CA bundle that is not a certificate file is refused, the service unchanged.
    bad = tmp_path / "ca.pem"
    bad.write_text("nope")
    monkeypatch.setattr(
        w.services, "edit_profile_dialog", lambda prof: replace(prof, ca_bundle=str(bad))
    )
    w.services.edit_action.trigger()
    assert "Service not changed" in w.statusBar().currentMessage()
    assert w.client_config(p.base_url).timeouts.read == 7.0
