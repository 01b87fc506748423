"""The composer's draft, autosaved and restored after a restart."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory


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
