"""Settings dialog, retention, notifications, the plain-http guard and the shortcut sheet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, OutputStatus, Submission
from vessl_gui.core.settings import AppSettings
from vessl_gui.emulator import Emulator
from vessl_gui.ui.settings_dialog import SettingsDialog
from vessl_gui.ui.window.state import load_settings


def test_settings_round_trip_and_bad_values_fall_back(tmp_path: Path) -> None:
    s = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    s.setValue("settings/read_timeout", "12.5")
    s.setValue("settings/verify_tls", "false")
    s.setValue("settings/poll_first", "not a number")
    s.setValue("settings/connect_timeout", "-4")
    loaded = load_settings(s)
    assert loaded.read_timeout == 12.5
    assert loaded.verify_tls is False
    assert loaded.poll_first == AppSettings().poll_first
    assert loaded.connect_timeout == AppSettings().connect_timeout
    assert loaded.client_config().timeouts.read == 12.5


def test_dialog_rejects_a_bad_ca_bundle_and_keeps_input(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(AppSettings())
    qtbot.addWidget(dialog)
    bad = tmp_path / "not-a-cert.pem"
    bad.write_text("hello")
    dialog.ca_bundle.setText(str(bad))
    dialog.read_timeout.setValue(99)
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "not a PEM certificate file" in dialog.error.text()
    assert dialog.ca_bundle.text() == str(bad)  # nothing typed is lost
    dialog.ca_bundle.clear()
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.result_settings().read_timeout == 99


def test_new_settings_apply_to_requests(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    emulator.set_latency(1.5)
    w.set_app_settings(AppSettings(read_timeout=0.5))
    assert load_settings(w.ctx.settings).read_timeout == 0.5  # persisted
    w.composer.base_url_edit.setText(emulator.base_url)
    w.composer.token_edit.setText(TOKEN)
    w.composer.data_editor.setPlainText("{}")
    w.send()
    qtbot.waitUntil(lambda: w.model.summary_at(0).state == "unknown", timeout=10000)  # type: ignore[union-attr]
    assert "no answer within 0.5 s" in w.model.summary_at(0).message  # type: ignore[union-attr]


def test_retention_prunes_old_finished_rows(make_window: WindowFactory, tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        req = AsyncRequest("http://127.0.0.1:9/s", "POST", "/", "{}")
        old = store.add(req, now=1000.0)
        store.mark_sent(old.row_id, Submission("old1", 201, 0.1), now=1000.0)
        store.record_output(old.row_id, OutputStatus("completed", 200, "{}", "{}"), now=1001.0)
        waiting = store.add(req, now=1000.0)
        store.mark_sent(waiting.row_id, Submission("wait1", 201, 0.1), now=1000.0)
    w = make_window()
    assert w.model.total() == 2
    w.set_app_settings(AppSettings(retention_days=30))
    # The finished old row goes; the one still pending is kept whatever its age.
    assert [s.request_id for s in w.ctx.store.page(0, 10)] == ["wait1"]
    assert w.model.total() == 1
    assert "removed 1 old row" in w.statusBar().currentMessage()


def test_plain_http_to_another_host_asks_once(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    asked: list[str] = []
    answers = [False, True]
    monkeypatch.setattr(w, "confirm", lambda t, text: asked.append(text) or answers.pop(0))
    w.composer.base_url_edit.setText("http://serve.example.invalid/api/v1/services/x")
    w.composer.token_edit.setText(TOKEN)
    w.composer.data_editor.setPlainText("{}")
    w.send()
    assert len(asked) == 1 and "unencrypted" in asked[0]
    assert w.model.rowCount() == 0
    assert w.composer.data_editor.toPlainText() == "{}"
    w.send()  # yes this time
    assert w.model.rowCount() == 1
    w.shutdown()  # don't wait on a host that does not exist
    w.send()
    assert len(asked) == 2  # not asked again for this service


def test_loopback_http_is_not_questioned(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    monkeypatch.setattr(w, "confirm", lambda t, text: pytest.fail("asked for loopback"))
    w.composer.base_url_edit.setText(emulator.base_url)
    w.composer.token_edit.setText(TOKEN)
    w.composer.data_editor.setPlainText("{}")
    w.send()
    assert w.model.rowCount() == 1


def test_notification_when_finished_in_background(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    w.composer.base_url_edit.setText(emulator.base_url)
    w.composer.token_edit.setText(TOKEN)
    w.composer.data_editor.setPlainText(json.dumps({"bg": True}))
    w.send()
    other = make_window(data_dir=w.ctx.data_dir / "other")  # takes the focus
    assert not w.isActiveWindow()
    qtbot.waitUntil(lambda: any("completed" in n for n in w.reports.notifications), timeout=10000)
    assert other.reports.notifications == []


def test_shortcut_sheet_lists_the_keys(make_window: WindowFactory) -> None:
    from vessl_gui.ui.settings_dialog import ShortcutSheet

    w = make_window()
    sheet = ShortcutSheet([*w.actions(), *w.history_view.actions()], w)
    entries = dict(sheet.entries())
    assert entries["Send"].startswith("Ctrl+Return")
    assert entries["Filter history"] == "Ctrl+K"
    assert entries["Copy last ID"] == "Ctrl+Shift+C"
    assert entries["Refresh status of selected"] == "F5"
    sheet.deleteLater()


def test_every_settings_field_is_labelled(qtbot: QtBot) -> None:
    """Each field has a label tied to it (its buddy: labelled-by for a screen reader),
    the CA bundle's too, whose row is a field and a button."""
    from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QLineEdit

    dialog = SettingsDialog(AppSettings())
    qtbot.addWidget(dialog)
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    fields = [*dialog.findChildren(QAbstractSpinBox), *dialog.findChildren(QLineEdit)]
    fields = [f for f in fields if not isinstance(f.parent(), QAbstractSpinBox)]
    assert dialog.ca_bundle in fields
    assert [f.objectName() for f in fields if f not in buddies] == []


def test_shortcut_table_has_a_name(make_window: WindowFactory) -> None:
    from vessl_gui.ui.settings_dialog import ShortcutSheet

    w = make_window()
    sheet = ShortcutSheet(w.actions(), w)
    assert sheet.table.accessibleName() == "Keyboard shortcuts"
    sheet.deleteLater()
