"""Following ids created elsewhere: the dialog, the rows, polling, restart, --follow."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory, fill, wait_state
from vessl_gui.core.models import ORIGIN_FOLLOWED
from vessl_gui.emulator import Emulator
from vessl_gui.ui.history.follow_dialog import FollowDialog
from vessl_gui.ui.window import MainWindow


def open_follow(qtbot: QtBot, w: MainWindow) -> FollowDialog:
    action = w.findChild(QAction, "followIdsAction")
    assert action is not None and action.shortcut().toString() == "Ctrl+Shift+O"
    action.trigger()
    dialog = w.follow.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def preview(dialog: FollowDialog) -> list[tuple[str, bool]]:
    out = []
    for i in range(dialog.preview.count()):
        item = dialog.preview.item(i)
        out.append((item.text(), item.checkState() == Qt.CheckState.Checked))
    return out


def test_ids_pasted_in_any_text_become_rows_that_are_followed_to_completed(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    a = emulator.seed_request("POST", "/echo", {"made": "with curl"})
    b = emulator.seed_request("POST", "/text", {"made": "by a colleague"})
    w = make_window()
    fill(qtbot, w, emulator.base_url)  # the service and its token
    w.tokens.remember(emulator.base_url, TOKEN)
    dialog = open_follow(qtbot, w)
    assert dialog.base_url() == emulator.base_url  # the composer's service
    dialog.text.setPlainText(f'{{"id": "{a}"}}\n2026-12-03 created {b} (status pending)\n{a}\n')
    assert [t.split(" ")[0] for t, ticked in preview(dialog)] == [a, b]  # the likely ids, ticked
    assert all(ticked for _, ticked in preview(dialog))
    dialog.show_words.setChecked(True)  # the words of the text that match, on request
    shown = preview(dialog)
    assert [text.split(" ")[0] for text, ticked in shown if ticked] == [a, b]
    # Words of the text that match the id pattern are offered, unticked.
    assert {text.split(" ")[0] for text, ticked in shown if not ticked} == {
        "id",
        "created",
        "status",
        "pending",
    }
    assert "1 repeated" in dialog.notes.text()
    assert any("followed once" in text for text, _ in shown if text.startswith(a))
    assert dialog.follow_button.text() == "&Follow 2"
    qtbot.mouseClick(dialog.follow_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.model.total() == 2, timeout=5000)
    for row in range(2):
        wait_state(qtbot, w, row, "completed")
    entries = [w.ctx.store.get(w.model.summary_at(r).row_id) for r in range(2)]  # type: ignore[union-attr]
    assert {e.request_id for e in entries if e} == {a, b}
    assert all(e is not None and e.origin == ORIGIN_FOLLOWED and e.data == "" for e in entries)
    by_id = {e.request_id: e for e in entries if e}
    assert "with curl" in (by_id[a].raw_output or "")  # the output of a request never sent here


def test_known_ids_are_reported_and_unticked_and_a_404_ends_in_its_row(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    a = emulator.seed_request("POST", "/echo", {})
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    w.tokens.remember(emulator.base_url, TOKEN)
    w.follow.follow(emulator.base_url, [a, "zzzz9999"])  # the second one does not exist
    qtbot.waitUntil(lambda: w.model.total() == 2, timeout=5000)

    def gone_row() -> int:
        return next(r for r in range(2) if w.model.summary_at(r).request_id == "zzzz9999")  # type: ignore[union-attr]

    qtbot.waitUntil(lambda: "404" in (w.model.summary_at(gone_row()).message or ""), timeout=10000)  # type: ignore[union-attr]
    dialog = open_follow(qtbot, w)
    dialog.text.setPlainText(f"{a}\nbad_ID\n")
    assert preview(dialog) == [(f"{a} — already in the history", False)]
    assert "1 already in history" in dialog.notes.text()
    assert "line 2: 'bad_ID'" in dialog.notes.text()  # not an id, and says why
    assert not dialog.follow_button.isEnabled()
    dialog.reject()


def test_followed_ids_survive_a_restart_and_are_polled_again(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, tmp_path: Path
) -> None:
    slow = emulator.seed_request("POST", "/sleep/1.5", {"n": 1})
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    w.tokens.remember(emulator.base_url, TOKEN)
    w.follow.follow(emulator.base_url, [slow])
    qtbot.waitUntil(lambda: w.model.total() == 1, timeout=5000)
    w.shutdown()
    w.close()
    again = make_window()  # same data dir: the row and the keyring are still there
    assert again.model.total() == 1
    s = again.model.summary_at(0)
    assert s is not None and s.request_id == slow and s.origin == ORIGIN_FOLLOWED
    wait_state(qtbot, again, 0, "completed", timeout=15000)


def test_follow_on_the_command_line_uses_the_last_service(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, tmp_path: Path
) -> None:
    a = emulator.seed_request("POST", "/echo", {"cli": True})
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("composer/baseUrl", emulator.base_url)  # what the last run left
    settings.sync()
    first = make_window()
    first.tokens.remember(emulator.base_url, TOKEN)  # saved in the keyring
    first.shutdown()
    first.close()
    w = make_window(follow_ids=(a,))
    qtbot.waitUntil(lambda: w.model.total() == 1, timeout=5000)
    wait_state(qtbot, w, 0, "completed")
    assert w.model.summary_at(0).request_id == a  # type: ignore[union-attr]
