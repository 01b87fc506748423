"""Damaged history files: found, moved aside (never deleted), and a fresh file in their place."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.history.helpers import raw, req
from vessl_gui.core.errors import (
    StorageError,
)
from vessl_gui.core.history import (
    CorruptHistoryError,
    HistoryStore,
    check_file,
    mark_damaged,
    quarantine,
)


def test_garbage_file_is_quarantined(db_path: Path) -> None:
    db_path.parent.mkdir()
    garbage = b"this is not a database at all\x00\xff" * 200
    db_path.write_bytes(garbage)
    Path(f"{db_path}-wal").write_bytes(b"old wal")
    with pytest.raises(CorruptHistoryError, match="damaged"):
        HistoryStore(db_path)
    assert db_path.read_bytes() == garbage  # a failed open changes nothing
    store, moved = HistoryStore.open_or_quarantine(db_path)
    with store:
        assert moved is not None and moved.name.startswith("history.db.corrupt-")
        assert moved.read_bytes() == garbage  # kept, never deleted
        assert Path(f"{moved}-wal").read_bytes() == b"old wal"
        assert store.count() == 0
        store.add(req())
    with raw(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM history").fetchone()[0] == 1


def test_damaged_pages_are_quarantined(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.add_many(req(f'"row {i} {"x" * 500}"') for i in range(300))
    with raw(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):  # smash every other page
        data[offset : offset + 200] = b"\xee" * 200
    db_path.write_bytes(bytes(data))
    store, moved = HistoryStore.open_or_quarantine(db_path)
    with store:
        assert moved is not None and moved.exists()
        assert store.count() == 0
        assert store.integrity_check() == "ok"


def _smash_search_index(db_path: Path) -> None:
    """Overwrite the text index's pages: the history table and its indexes stay sound."""
    with raw(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        roots = [
            r[0]
            for r in conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE name IN"
                " ('history_data_fts_data', 'history_fts_data')"
            )
        ]
    assert len(roots) == 2
    data = bytearray(db_path.read_bytes())
    page = 4096
    for root in roots:
        start = (root - 1) * page
        data[start + 8 : start + 2000] = b"\xee" * 1992
    db_path.write_bytes(bytes(data))


def test_a_damaged_search_index_is_found_later_and_moved_aside_at_the_next_start(
    db_path: Path,
) -> None:
    with HistoryStore(db_path) as s:
        s.add_many(req(f'"row {i} {"x" * 300}"') for i in range(200))
    _smash_search_index(db_path)
    store, moved = HistoryStore.open_or_quarantine(db_path)  # start: the table is checked
    with store:
        assert moved is None and store.count() == 200
        problems = check_file(db_path)  # later, off the GUI thread: the whole file
        assert problems and all(isinstance(p, str) and p for p in problems)
        marker = mark_damaged(db_path, problems)
        assert marker.read_text().splitlines() == problems
        assert store.count() == 200  # nothing moved while in use
    damaged = db_path.read_bytes()
    store, moved = HistoryStore.open_or_quarantine(db_path)  # the next start
    with store:
        assert moved is not None and moved.read_bytes() == damaged  # kept, byte for byte
        assert store.count() == 0 and check_file(db_path) == []
    assert not marker.exists()


def test_open_for_use_moves_aside_a_file_whose_damage_shows_while_recovering(
    db_path: Path,
) -> None:
    with HistoryStore(db_path) as s:
        s.add_many(req(f'"row {i}"') for i in range(120))  # left "sending", then indexed
    _smash_search_index(db_path)
    damaged = db_path.read_bytes()
    store, moved, recovered = HistoryStore.open_for_use(db_path)
    with store:  # recovering them touched the damaged search index
        assert moved is not None and moved.read_bytes() == damaged
        assert (store.count(), recovered) == (0, 0)
    with HistoryStore(db_path) as s:
        s.add_many(req() for _ in range(3))
    store, moved, recovered = HistoryStore.open_for_use(db_path)  # a sound file
    with store:
        assert (moved, recovered, store.count()) == (None, 3, 3)


def test_check_file_finds_a_sound_file_sound_and_reads_only(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.add_many(req() for _ in range(50))
        before = db_path.read_bytes()
        assert check_file(db_path) == []  # while the store is open
        s.add(req())  # and the store still writes
    assert db_path.read_bytes() != before or Path(f"{db_path}-wal").exists()
    garbage = db_path.with_name("garbage.db")
    garbage.write_bytes(b"not a database" * 500)
    assert check_file(garbage)  # reported as a problem, not raised
    with pytest.raises(StorageError):
        check_file(db_path.with_name("missing.db"))  # nothing to read


def test_healthy_file_is_not_moved(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.add(req())
    store, moved = HistoryStore.open_or_quarantine(db_path)
    with store:
        assert moved is None and store.count() == 1
    assert [p.name for p in db_path.parent.iterdir() if "corrupt" in p.name] == []


def test_quarantine_names_do_not_collide(tmp_path: Path) -> None:
    first = tmp_path / "h.db"
    first.write_bytes(b"one")
    a = quarantine(first)
    first.write_bytes(b"two")
    b = quarantine(first)
    assert a is not None and b is not None and a != b
    assert (a.read_bytes(), b.read_bytes()) == (b"one", b"two")
    assert quarantine(tmp_path / "missing.db") is None
