"""Services (profiles): saving a new base URL, rename, duplicate, delete, edit, timeouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory
from tests.ui.services.helpers import answer_text
from vessl_gui.emulator import Emulator


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
