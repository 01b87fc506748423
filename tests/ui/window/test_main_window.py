"""The real window, driven through its widgets, against the emulator on 127.0.0.1."""

from __future__ import annotations

import json
import time
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory, cell, fill, wait_state
from vessl_gui.core.models import REQUEST_ID_RE, Timeouts
from vessl_gui.emulator import Emulator
from vessl_gui.ui.history.model import COL_ID, COL_STATUS, COLUMNS


def test_send_copy_and_watch_until_completed(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url + "/")
    qtbot.mouseClick(w.composer.send_button, Qt.MouseButton.LeftButton)
    # The row is there at once, before any answer.
    assert w.model.rowCount() == 1
    assert w.model.summary_at(0).state in ("sending", "pending")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: w.model.summary_at(0).request_id is not None, timeout=5000)  # type: ignore[union-attr]
    rid = cell(w, 0, COL_ID)
    assert REQUEST_ID_RE.match(rid)
    assert emulator.status_of(rid) is not None  # the emulator really has it
    # Ctrl+C on the selected row copies its id.
    w.history_view.setFocus()
    w.select_row(0)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(w.history_view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == rid
    assert rid in w.statusBar().currentMessage()
    # The Copy ID button copies the last id too.
    qtbot.waitUntil(w.copy_id_button.isEnabled)
    assert rid in w.copy_id_button.text()
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(w.copy_id_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == rid
    # Status goes to completed by itself, and the details show the echoed output.
    wait_state(qtbot, w, 0, "completed")
    assert cell(w, 0, COL_STATUS) == "completed"
    assert w.output_view.fact("Service answered") == "HTTP 200"
    shown = w.output_view.text.toPlainText()
    assert '"question": "How are you?"' in shown
    assert '"echo"' in shown
    # The request that was sent went out as typed (trailing slash removed).
    received = [r for r in emulator.received() if r.method == "POST"]
    assert len(received) == 1
    assert received[0].header("authorization") == f"Bearer {TOKEN}"
    assert json.loads(received[0].body) == {
        "method": "POST",
        "path": "/echo",
        "data": {"question": "How are you?"},
    }
    # The token went to the keyring, not to settings or history.
    assert w.ctx.tokens.get(emulator.base_url) == TOKEN
    w.save_state()
    for f in Path(w.ctx.data_dir).iterdir():
        if f.is_file():
            assert TOKEN.encode() not in f.read_bytes(), f


def test_copy_output_button(qtbot: QtBot, make_window: WindowFactory, emulator: Emulator) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, data="[1, 2.50, true]")
    w.send()
    wait_state(qtbot, w, 0, "completed")
    w.select_row(0)
    qtbot.waitUntil(lambda: w.output_view.copy_output_button.isEnabled())
    qtbot.mouseClick(w.output_view.copy_output_button, Qt.MouseButton.LeftButton)
    assert json.loads(QGuiApplication.clipboard().text())["echo"] == [1, 2.5, True]


def test_slow_server_keeps_the_window_responsive(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    emulator.set_latency(1.0)
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    gaps: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def beat() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(beat)
    timer.start(5)
    for _ in range(10):
        w.send()
    wait_state(qtbot, w, 0, "pending", "in_progress", "completed", timeout=15000)
    timer.stop()
    longest = max(gaps)
    print(f"longest event-loop gap while 10 sends were in flight: {longest} ms")
    assert longest < 250
    assert w.model.rowCount() == 10


def test_history_model_passes_qtmodeltester(
    qtbot: QtBot, qtmodeltester: object, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    for _ in range(3):
        w.send()
    qtbot.waitUntil(lambda: all(w.model.summary_at(i).request_id for i in range(3)))  # type: ignore[union-attr]
    qtmodeltester.check(w.model)  # type: ignore[attr-defined]
    headers = [w.model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))]
    assert headers == list(COLUMNS)


def test_history_pages_in(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    from vessl_gui.core.history import HistoryStore
    from vessl_gui.core.models import AsyncRequest

    with HistoryStore(tmp_path / "history.sqlite3") as store:
        req = AsyncRequest("http://127.0.0.1:9/s", "POST", "/", "{}")
        store.add_many([req] * 1000)
    w = make_window()
    assert w.model.total() == 1000
    assert w.model.rowCount() == 200  # one page, not the whole table
    assert w.model.canFetchMore()
    w.history_view.scrollToBottom()
    qtbot.waitUntil(lambda: w.model.rowCount() > 200)


def test_restart_keeps_rows_and_resumes_polling(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.set_scaled_to_zero(True)
    emulator.configure(cold_start=3600)
    w1 = make_window()
    fill(qtbot, w1, emulator.base_url)
    w1.send()
    qtbot.waitUntil(lambda: w1.model.summary_at(0).request_id is not None)  # type: ignore[union-attr]
    rid = w1.model.summary_at(0).request_id  # type: ignore[union-attr]
    wait_state(qtbot, w1, 0, "pending")
    assert w1.shutdown()
    w1.close()
    w1.ctx.store.close()
    # A new window on the same data dir: the row is there and polling resumes.
    emulator.set_scaled_to_zero(False)
    w2 = make_window()
    assert w2.model.rowCount() == 1
    assert w2.model.summary_at(0).request_id == rid  # type: ignore[union-attr]
    wait_state(qtbot, w2, 0, "completed", timeout=15000)


def test_close_with_20_sends_in_flight(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    emulator.set_latency(3.0)
    w = make_window(timeouts=Timeouts(connect=2, read=30))
    fill(qtbot, w, emulator.base_url)
    for _ in range(20):
        w.send()
    qtbot.wait(300)
    started = time.monotonic()
    w.close()
    took = time.monotonic() - started
    print(f"closed with 20 sends in flight in {took:.2f} s")
    assert took < 3.0
    assert w.workers is not None and not w.workers.abandoned
    states = {s.state for s in w.ctx.store.page(0, 100)}
    assert states <= {"sending", "unknown", "send_error", "pending"}
    assert w.ctx.store.count() == 20


#: The automation contract: the object names scripts and screen readers find the window's
#: controls by (tests/desktop/test_accessibility.py checks them over AT-SPI too).
ACCESSIBILITY_CONTRACT = (
    "mainWindow",
    "baseUrlEdit",
    "tokenEdit",
    "methodCombo",
    "pathEdit",
    "dataEditor",
    "sendButton",
    "copyIdButton",
    "historyView",
    "outputView",
)


def test_accessibility_contract(make_window: WindowFactory) -> None:
    w = make_window()
    for name in ACCESSIBILITY_CONTRACT:
        widget = w if name == "mainWindow" else w.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name


def test_main_reuses_existing_application(qtbot: QtBot, tmp_path: Path) -> None:
    from vessl_gui import app as appmod

    app = QApplication.instance()
    QTimer.singleShot(
        300,
        lambda: [
            x.close() for x in QApplication.topLevelWidgets() if x.objectName() == "mainWindow"
        ],
    )
    code = appmod.main(["--data-dir", str(tmp_path / "d")])
    assert code == 0
    assert QApplication.instance() is app
    assert (tmp_path / "d" / "history.sqlite3").exists()


def _tab_stops(start: QWidget, n: int) -> list[str]:
    out: list[str] = []
    w = start
    while len(out) < n:
        w = w.nextInFocusChain()
        if w is start:
            break
        stop = w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and w.isEnabled()
        if stop and w.focusProxy() is None:
            out.append(w.objectName())
    return out


def test_tab_follows_the_visual_order(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    """The service bar at the top comes first (it came after Send), the history table
    lets Tab go on to the details pane (it kept Tab for its cells)."""
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    w.send()
    wait_state(qtbot, w, 0, "completed")
    w.select_row(0)
    qtbot.waitUntil(w.output_view.copy_output_button.isEnabled)
    bar = w.service_bar
    assert not w.history_view.tabKeyNavigation()
    stops = _tab_stops(bar.profile_combo, 40)
    first = [
        "profileMenuButton",
        "savedCombo",
        "savedMenuButton",
        "baseUrlEdit",
        "tokenEdit",
        "revealTokenButton",
        "saveTokenButton",
        "forgetTokenButton",
        "methodCombo",
        "pathEdit",
        "dataEditor",
        "sendButton",
        "copyIdButton",
        "historyFilter",
    ]
    assert stops[: len(first)] == first
    after_table = stops[stops.index("historyView") + 1 :]
    assert after_table[:4] == [
        "qt_tabwidget_tabbar",
        "outputTree",
        "copyValueButton",
        "copyPathButton",
    ]
    assert after_table[-1] == "saveOutputButton"  # then round to the top again


def test_the_window_starts_in_the_base_url(qtbot: QtBot, make_window: WindowFactory) -> None:
    """The service bar is first in the Tab chain now; the focus still starts where it
    did, in the base URL field."""
    w = make_window()
    qtbot.waitUntil(w.composer.base_url_edit.hasFocus)


def _mnemonic(text: str) -> str | None:
    """The Alt+letter of a label ("Sa&ve" -> "v"), None without one."""
    plain = text.replace("&&", "")
    i = plain.find("&")
    return plain[i + 1].lower() if 0 <= i < len(plain) - 1 else None


def test_mnemonics_of_the_window_are_unique(make_window: WindowFactory) -> None:
    """Two controls with one Alt+letter take turns: Alt+S went to the details pane's Save
    every other time, Alt+R to the Raw tab instead of the Request menu."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar

    w = make_window()
    _ = w.output_view.content  # the details pane's tabs and buttons
    owners: dict[str, list[str]] = {}
    for label in w.findChildren(QLabel):
        if label.buddy() is not None and (m := _mnemonic(label.text())):
            owners.setdefault(m, []).append(label.text())
    for button in w.findChildren(QAbstractButton):
        if m := _mnemonic(button.text()):
            owners.setdefault(m, []).append(button.text())
    for bar in w.findChildren(QTabBar):
        for i in range(bar.count()):
            if m := _mnemonic(bar.tabText(i)):
                owners.setdefault(m, []).append(bar.tabText(i))
    shared = {m: texts for m, texts in owners.items() if len(texts) > 1}
    assert not shared, shared
    menus = {_mnemonic(a.text()): a.text() for a in w.menuBar().actions() if _mnemonic(a.text())}
    assert not set(owners) & set(menus), {
        m: (owners[m], menus[m]) for m in set(owners) & set(menus)
    }


def test_menu_bar_mnemonics_are_unique(make_window: WindowFactory) -> None:
    w = make_window()
    letters = [_mnemonic(a.text()) for a in w.menuBar().actions()]
    assert len(letters) == len(set(letters)), [a.text() for a in w.menuBar().actions()]
