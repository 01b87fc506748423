"""The history's selection: refresh, Ctrl+Enter selects only the new row, no read-back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, fill, wait_state
from vessl_gui.emulator import Emulator


def test_refresh_repolls_selected(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    w.send()
    wait_state(qtbot, w, 0, "completed")
    polls_before = len([r for r in emulator.received() if r.method == "GET"])
    w.select_row(0)
    qtbot.keyClick(w.history_view, Qt.Key.Key_F5)
    qtbot.waitUntil(
        lambda: len([r for r in emulator.received() if r.method == "GET"]) > polls_before
    )


def test_the_sent_row_is_shown_without_reading_it_back(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, data='{"big": "' + "x" * 100_000 + '"}')
    store = w.ctx.store
    reads: list[int] = []
    real_get = store.get

    def counting_get(row_id: int) -> object:
        reads.append(row_id)
        return real_get(row_id)

    monkeypatch.setattr(store, "get", counting_get)
    monkeypatch.setattr(store, "get_apart", counting_get)  # how a selected row is read
    emulator.set_latency(0.5)  # the row stays "sending" while it is checked
    w.send()
    shown = w.output_view.entry()
    assert shown is not None and shown.state == "sending"
    assert shown == real_get(shown.row_id)  # what is stored, without store.get on Send
    assert reads == []
    w.send()  # the new row goes above the shown one (which moves), then is selected
    again = w.output_view.entry()
    assert again is not None and again.row_id == shown.row_id + 1
    assert reads == []  # neither the moved row nor the new one was read back
    w.history_view.clearSelection()
    w.select_row(0)  # selecting it later reads it, as any row
    assert reads == [again.row_id]


def test_sending_with_ctrl_enter_selects_only_the_new_row(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    """Ctrl is down when the row is selected: the selection is still replaced, not
    toggled or extended (as a Ctrl+click would)."""
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    for n in (1, 2, 3):
        qtbot.keyClick(w.composer.path_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert w.model.rowCount() == n
        assert w.selection.selected_rows() == [0]
        shown = w.output_view.entry()
        assert shown is not None and shown.row_id == w.model.summary_at(0).row_id  # type: ignore[union-attr]
    wait_state(qtbot, w, 0, "completed")
