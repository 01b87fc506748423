"""HistoryStore's base: opening (errors a person can act on), closing, threads, checkpoints."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.core.history.helpers import T0, raw, req
from vessl_gui.core.errors import (
    StorageError,
)
from vessl_gui.core.history import (
    CorruptHistoryError,
    HistoryStore,
)
from vessl_gui.core.models import Submission


def test_memory_store() -> None:
    with HistoryStore(":memory:") as s:
        row = s.add(req(), now=T0)
        assert s.get(row.row_id) == row
        assert s.count("prompt") == 1


def test_closed_store_raises_storage_error(db_path: Path) -> None:
    s = HistoryStore(db_path)
    s.close()
    s.close()  # idempotent
    with pytest.raises(StorageError, match="closed"):
        s.count()


def test_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(StorageError, match="Cannot create the folder"):
        HistoryStore(tmp_path / "file" / "history.db")
    with pytest.raises(StorageError):
        HistoryStore.open_or_quarantine(tmp_path / "file" / "history.db")


def test_path_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot be opened") as info:
        HistoryStore(tmp_path)
    assert not isinstance(info.value, CorruptHistoryError)


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root ignores file permissions, so a read-only folder cannot be simulated",
)
def test_read_only_folder(tmp_path: Path) -> None:  # pragma: no cover - not run as root
    folder = tmp_path / "ro"
    folder.mkdir()
    with HistoryStore(folder / "history.db") as s:
        s.add(req())
    for f in folder.iterdir():
        f.chmod(0o444)
    folder.chmod(0o555)
    try:
        with (
            pytest.raises(StorageError, match=r"read-only|cannot be opened"),
            HistoryStore(folder / "history.db") as s,
        ):
            s.add(req())
    finally:
        folder.chmod(0o755)


def test_shared_between_threads(store: HistoryStore) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                rid = store.add(req(f'"t{n}-{i}"')).row_id
                store.mark_sent(rid, Submission(f"t{n}x{i}", 201, 0.1))
                store.page(0, 20)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count(states=["pending"]) == 300


def test_checkpoint_moves_the_log_into_the_database_file(
    store: HistoryStore, db_path: Path, tmp_path: Path
) -> None:
    rows = [store.add(req(f'{{"n": {i}}}'), now=T0 + i).row_id for i in range(5)]
    copy = tmp_path / "main-file-only.db"
    copy.write_bytes(db_path.read_bytes())  # the database file without its -wal
    with raw(copy) as conn:  # still in the log: not even the table is in the file yet
        assert (
            conn.execute("SELECT name FROM sqlite_master WHERE name = 'history'").fetchall() == []
        )
    store.checkpoint()
    copy.unlink()
    copy.write_bytes(db_path.read_bytes())
    with raw(copy) as conn:
        assert [r[0] for r in conn.execute("SELECT row_id FROM history ORDER BY row_id")] == rows
    store.close()
    with pytest.raises(StorageError, match="closed"):
        store.checkpoint()
