"""Crash durability: SIGKILL at random moments, damaged and unusable history files,
read-only and full data dirs.

The app runs in a subprocess (``app_driver.py`` around ``vessl_gui.app.main``)
on a ``--data-dir``; the emulator runs in this process on 127.0.0.1.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.fakes import MemoryKeyring
from tests.reliability.conftest import TOKEN, Report, WindowFactory
from tests.reliability.helpers import Driver, driver_env, private_mount_prefix
from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest
from vessl_gui.emulator import Emulator, Fault

KILLS = 20


def _db_state(path: Path) -> dict[str, Any]:
    """What a fresh sqlite connection finds in the file (replays the WAL like the app would)."""
    conn = sqlite3.connect(path)
    try:
        check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        rows = conn.execute("SELECT row_id, state, request_id FROM history").fetchall()
    finally:
        conn.close()
    return {
        "integrity": check,
        "row_ids": {r[0] for r in rows},
        "ids": {r[2] for r in rows if r[2]},
        "states": [r[1] for r in rows],
    }


def test_sigkill_at_random_moments_loses_nothing(
    qtbot: QtBot,
    make_window: WindowFactory,
    keyring_backend: MemoryKeyring,
    tmp_path: Path,
    report: Report,
) -> None:
    seed = int(os.environ.get("VESSL_CRASH_SEED", time.time_ns() % 2**31))
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    home = tmp_path / "home"
    totals = {"before_ready": 0, "ids": 0, "copied": 0, "recovered": 0, "resumed": 0, "rows": 0}
    with Emulator(token=TOKEN, queue_delay=0.2, run_time=0.2, latency=0.005) as emu:
        TokenStore(keyring_backend).set(emu.base_url, TOKEN)  # what the keyring would hold
        for kill in range(KILLS):
            config = {"mode": "burst", "base_url": emu.base_url, "token": TOKEN, "sends": 400}
            config["interval"] = 0.01
            d = Driver.start(config, ["--data-dir", str(data_dir)], driver_env(home))
            at = rng.uniform(0.3, 2.0)  # seconds after the start: some land during start-up
            deadline = time.monotonic() + at
            while time.monotonic() < deadline and d.exited_at is None:
                time.sleep(0.01)
            assert d.exited_at is None, f"driver ended early: {d.stderr[-20:]}"
            d.proc.send_signal(signal.SIGKILL)
            assert d.wait_exit(10) == -signal.SIGKILL
            where = f"kill {kill + 1} at {at:.2f} s (seed {seed})"
            assert not d.of("fail"), (where, d.of("fail"))
            if not d.of("ready"):
                totals["before_ready"] += 1
            db = data_dir / "history.sqlite3"
            if not db.exists():
                continue  # killed before the history was created
            state = _db_state(db)
            assert state["integrity"] == ["ok"], (where, state["integrity"])
            with HistoryStore(db) as store:
                assert store.integrity_check() == "ok", where  # the search indexes too
            shown_rows = {e["row_id"] for e in d.of("row")}
            shown_ids = {e["request_id"] for e in d.of("id")}
            copied = {e["request_id"] for e in d.of("copied")}
            assert shown_rows <= state["row_ids"], (where, shown_rows - state["row_ids"])
            assert shown_ids <= state["ids"], (where, shown_ids - state["ids"])
            assert copied <= state["ids"], (where, copied - state["ids"])
            totals["ids"] += len(shown_ids)
            totals["copied"] += len(copied)
            sending = state["states"].count("sending")
            unfinished = sum(s in ("pending", "in_progress") for s in state["states"])
            totals["recovered"] += sending
            totals["resumed"] += unfinished
            # The next start: interrupted sends become "unknown", polling resumes to the end.
            w = make_window(data_dir=data_dir)
            store = w.ctx.store
            assert store.sending_rows() == []
            qtbot.waitUntil(lambda s=store: s.unfinished() == [], timeout=20000)
            after = _db_state(db)
            assert after["row_ids"] >= state["row_ids"]
            assert after["states"].count("unknown") >= sending
            assert w.shutdown()
            w.close()
            store.close()
        totals["rows"] = len(_db_state(data_dir / "history.sqlite3")["row_ids"])
    report.add(
        "Crash durability (SIGKILL)",
        f"{KILLS} kills at random moments 0.3-2.0 s after start (seed {seed}); "
        f"{totals['before_ready']} landed during start-up; {totals['rows']} rows in the end; "
        f"integrity_check ok after every kill; ids shown {totals['ids']}, copied "
        f"{totals['copied']}, lost 0; sends interrupted and marked unknown on restart "
        f"{totals['recovered']}; unfinished requests resumed and polled to the end "
        f"{totals['resumed']}",
    )


# --------------------------------------------------------------------------- damaged files


def _run_status(
    tmp_path: Path, data_dir: Path, emu: Emulator, prefix: list[str] | None = None
) -> Driver:
    config = {"mode": "status", "base_url": emu.base_url, "token": TOKEN}
    args = ["--data-dir", str(data_dir)]
    d = Driver.start(config, args, driver_env(tmp_path / "home"), prefix=prefix)
    assert d.wait_exit(60) == 0, (d.events, d.stderr[-30:])
    assert not d.of("fail"), d.of("fail")
    assert d.of("main_returned"), "the app left through os._exit: a thread did not stop"
    assert d.qt_messages() == []
    return d


def _history_with_rows(path: Path, n: int = 30) -> None:
    with HistoryStore(path) as store:
        for i in range(n):
            store.add(AsyncRequest("https://x.example/api/v1/services/s", "POST", f"/{i}", "{}"))


def test_garbage_history_file_is_moved_aside_with_a_message(
    tmp_path: Path, emulator: Emulator, report: Report
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    garbage = b"this is not a database\n" * 200
    (data_dir / "history.sqlite3").write_bytes(garbage)
    d = _run_status(tmp_path, data_dir, emulator)
    moved = sorted(data_dir.glob("history.sqlite3.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == garbage  # kept, byte for byte
    text = d.of("status")[0]["text"]
    assert "damaged" in text and str(moved[0]) in text, text
    assert d.of("completed"), "the new history works"
    report.add("Damaged history files", f"not a database: moved aside; the window says: {text!r}")


def test_damaged_database_is_moved_aside_with_a_message(
    tmp_path: Path, emulator: Emulator, report: Report
) -> None:
    data_dir = tmp_path / "data"
    db = data_dir / "history.sqlite3"
    _history_with_rows(db, 300)
    raw = bytearray(db.read_bytes())
    page = 4096
    assert len(raw) > 6 * page
    rng = random.Random(7)
    for offset in range(2 * page, len(raw) - page, page):  # keep page 1 (the header, schema)
        raw[offset + 16 : offset + 3000] = rng.randbytes(2984)
    db.write_bytes(bytes(raw))
    d = _run_status(tmp_path, data_dir, emulator)
    moved = sorted(data_dir.glob("history.sqlite3.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == bytes(raw)
    text = d.of("status")[0]["text"]
    assert "damaged" in text and "moved aside" in text, text
    assert d.of("status")[0]["rows"] == 0 and d.of("completed")
    report.add(
        "Damaged history files", "header intact, pages overwritten: moved aside, same message"
    )


def test_unopenable_history_path_gives_a_clear_error_and_a_usable_app(
    tmp_path: Path, emulator: Emulator, report: Report
) -> None:
    """The history path is a folder (as root, permissions cannot make a file unreadable)."""
    data_dir = tmp_path / "data"
    (data_dir / "history.sqlite3").mkdir(parents=True)
    (data_dir / "history.sqlite3" / "keep.txt").write_text("mine")
    d = _run_status(tmp_path, data_dir, emulator)
    dialogs = d.of("dialog")
    assert len(dialogs) == 1, d.events
    text = dialogs[0]["text"]
    assert "cannot be opened" in text and "in memory only" in text, text
    assert (data_dir / "history.sqlite3" / "keep.txt").read_text() == "mine"  # untouched
    assert d.of("completed"), "sending still works (history in memory)"
    report.add("Unusable data dirs", f"history path unopenable: dialog {text!r}; sending works")


# --------------------------------------------------------------------------- full / read-only


def test_full_disk_in_the_store_is_a_clear_error_and_the_app_recovers(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, report: Report
) -> None:
    """SQLite's own "disk full" (SQLITE_FULL via ``max_page_count``) on every write path."""
    w = make_window()
    c = w.composer
    c.base_url_edit.setText(emulator.base_url)
    c.token_edit.setText(TOKEN)
    c.path_edit.setText("/echo")
    big = '{"blob": "' + "x" * 20000 + '"}'
    c.data_editor.setPlainText(big)
    conn = w.ctx.store._conn  # the app's own connection
    assert conn is not None
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    w.send()
    message = w.statusBar().currentMessage()
    assert message.startswith("Not sent: the history could not be saved: The disk is full")
    assert w.model.rowCount() == 0 and emulator.received() == []  # nothing left unrecorded
    assert c.data_editor.toPlainText() == big
    conn.execute("PRAGMA max_page_count = 1073741823")
    w.send()
    qtbot.waitUntil(
        lambda: w.model.summary_at(0) is not None and w.model.summary_at(0).state == "completed"
    )
    report.add(
        "Unusable data dirs", f"disk full (SQLite SQLITE_FULL): {message!r}; next send works"
    )


def test_store_fails_while_a_create_is_in_flight(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, report: Report
) -> None:
    """The answer arrives when the history cannot be written: the id is still shown."""
    w = make_window()
    c = w.composer
    c.base_url_edit.setText(emulator.base_url)
    c.token_edit.setText(TOKEN)
    c.path_edit.setText("/echo")
    c.data_editor.setPlainText('{"a": 1}')
    emulator.inject("create", Fault.slow(0.5))
    w.send()
    conn = w.ctx.store._conn
    assert conn is not None
    conn.execute("PRAGMA query_only = 1")  # SQLITE_READONLY from now on
    qtbot.waitUntil(lambda: "could not be saved" in w.statusBar().currentMessage(), timeout=5000)
    message = w.statusBar().currentMessage()
    assert emulator.stats().created == 1
    shown = [t for t in re.findall(r"\b[a-z0-9]{1,16}\b", message) if emulator.status_of(t)]
    assert shown, f"the created id is not shown: {message!r}"  # its only copy is on screen
    conn.execute("PRAGMA query_only = 0")
    w.send()
    qtbot.waitUntil(lambda: w.model.summary_at(0).state == "completed")  # type: ignore[union-attr]
    report.add("Unusable data dirs", f"store read-only when the answer came: {message!r}")


@pytest.fixture(scope="module")
def mount_prefix(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    prefix, why = private_mount_prefix(tmp_path_factory.mktemp("mnt"))
    if prefix is None:
        pytest.skip(f"real read-only/full file systems need a private mount namespace: {why}")
    return prefix


def _in_tmpfs(prefix: list[str], mount_dir: Path, size: str, then: str = "") -> list[str]:
    """Run the driver with a fresh tmpfs of ``size`` on ``mount_dir`` (then ``then``)."""
    script = f'mount -t tmpfs -o size={size} tmpfs "{mount_dir}" && {then or "true"} && exec "$@"'
    return [*prefix, "sh", "-c", script, "sh"]


def test_real_read_only_data_dir(
    tmp_path: Path, emulator: Emulator, mount_prefix: list[str], report: Report
) -> None:
    seed = tmp_path / "seed"
    _history_with_rows(seed / "history.sqlite3", 5)
    data_dir = tmp_path / "ro"
    data_dir.mkdir()
    then = f'cp -a "{seed}/." "{data_dir}/" && mount -o remount,ro "{data_dir}"'
    d = _run_status(
        tmp_path, data_dir, emulator, prefix=_in_tmpfs(mount_prefix, data_dir, "4m", then)
    )
    dialogs = d.of("dialog")
    assert len(dialogs) == 1, d.events
    text = dialogs[0]["text"]
    assert "in memory only" in text and str(data_dir) in text, text
    assert d.of("completed"), "sending still works (history in memory)"
    report.add(
        "Unusable data dirs", f"read-only file system (tmpfs, ro): dialog {text!r}; sending works"
    )


def test_real_full_data_dir(
    tmp_path: Path, emulator: Emulator, mount_prefix: list[str], report: Report
) -> None:
    data_dir = tmp_path / "full"
    data_dir.mkdir()
    config = {
        "mode": "disk_full",
        "base_url": emulator.base_url,
        "token": TOKEN,
        "fill_path": str(data_dir / "filler"),
        "data": '{"blob": "' + "y" * 20000 + '"}',
    }
    prefix = _in_tmpfs(mount_prefix, data_dir, "2m")
    d = Driver.start(config, ["--data-dir", str(data_dir)], driver_env(tmp_path / "home"), prefix)
    assert d.wait_exit(60) == 0, (d.events, d.stderr[-30:])
    assert not d.of("fail"), d.of("fail")
    assert d.of("disk_full")[0]["errno"] == 28  # ENOSPC: the disk really was full
    refused = d.of("refused")[0]
    assert "The disk is full" in refused["text"], refused
    assert refused["rows_after"] == refused["rows_before"] and refused["kept"]
    assert d.of("completed"), "after space was freed, sending works"
    assert d.of("main_returned") and d.stderr == []  # no Qt warning, no traceback
    report.add(
        "Unusable data dirs",
        f"full file system (2 MB tmpfs filled to ENOSPC): {refused['text']!r}; "
        "composer kept; after freeing space the next send works",
    )


def test_data_dir_that_cannot_exist_is_a_clear_error(tmp_path: Path, report: Report) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    config = {"mode": "status", "base_url": "", "token": ""}
    d = Driver.start(config, ["--data-dir", str(blocker / "data")], driver_env(tmp_path / "home"))
    assert d.wait_exit(30) == 2
    err = "\n".join(d.stderr)
    assert "cannot use the data directory" in err and str(blocker / "data") in err, err
    report.add("Unusable data dirs", f"--data-dir under a regular file: exit 2, {err.strip()!r}")
