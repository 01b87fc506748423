"""HistoryStore schema: a fresh file, migrations from older versions, the text indexes' set-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.history.helpers import BASE, T0, raw, req
from vessl_gui.core.errors import (
    ConnectFailedError,
    StorageError,
)
from vessl_gui.core.history import (
    HistoryStore,
)
from vessl_gui.core.models import HistoryEntry, Submission


def test_fresh_file_is_wal_and_migrated(store: HistoryStore, db_path: Path) -> None:
    assert db_path.exists()  # the parent folder was created
    with raw(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"history_created_at", "history_state", "history_request_id"} <= indexes


def test_schema_has_every_entry_field_and_no_token(store: HistoryStore, db_path: Path) -> None:
    with raw(db_path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(history)")]
    assert columns == [f for f in HistoryEntry.__dataclass_fields__]
    for col in columns:
        if col == "secret_vars":  # the names of secret variables, never their values
            continue
        assert not any(w in col.lower() for w in ("token", "auth", "bearer", "secret"))


def test_user_version_0_file_is_migrated_and_rows_survive_reopen(db_path: Path) -> None:
    db_path.parent.mkdir()
    with raw(db_path) as conn:  # an empty database made by hand: user_version 0
        conn.execute("CREATE TABLE unrelated (x)")
        conn.commit()
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    with HistoryStore(db_path) as s:
        row = s.add(req(), now=T0)
    with raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    with HistoryStore(db_path) as s:
        assert s.get(row.row_id) == row
        assert s.count() == 1


def test_newer_schema_is_refused_untouched(db_path: Path) -> None:
    db_path.parent.mkdir()
    with raw(db_path) as conn:
        conn.execute("PRAGMA user_version = 99")
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="newer version"):
        HistoryStore(db_path)
    with pytest.raises(StorageError, match="newer version"):
        HistoryStore.open_or_quarantine(db_path)  # not "damaged": never moved aside
    assert db_path.read_bytes() == before


def test_version_1_file_gains_the_service_index(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.add(req(), now=T0)
    with raw(db_path) as conn:  # what version 1 had: no service index, no index mark
        conn.execute("DROP INDEX history_base_url")
        conn.execute("DROP TABLE history_fts_mark")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    with HistoryStore(db_path) as s:
        assert s.count() == 1
        assert s.services() == [req().base_url]
    with raw(db_path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "history_base_url" in names
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4


# A version 2 file as the previous release wrote it: FTS triggers index every write.
_V2_TRIGGERS = (
    "CREATE TRIGGER history_fts_ai AFTER INSERT ON history BEGIN"
    " INSERT INTO history_fts (rowid, {small}) VALUES (new.row_id, {new_small});"
    " INSERT INTO history_data_fts (rowid, data) VALUES (new.row_id, new.data); END",
    "CREATE TRIGGER history_fts_ad AFTER DELETE ON history BEGIN"
    " INSERT INTO history_fts (history_fts, rowid, {small})"
    " VALUES ('delete', old.row_id, {old_small});"
    " INSERT INTO history_data_fts (history_data_fts, rowid, data)"
    " VALUES ('delete', old.row_id, old.data); END",
    "CREATE TRIGGER history_fts_au AFTER UPDATE OF {small} ON history BEGIN"
    " INSERT INTO history_fts (history_fts, rowid, {small})"
    " VALUES ('delete', old.row_id, {old_small});"
    " INSERT INTO history_fts (rowid, {small}) VALUES (new.row_id, {new_small}); END",
)
_V2_SMALL = ("request_id", "path", "method", "state", "base_url", "profile", "message")


def _write_v2_file(path: Path, *, triggers: bool) -> None:
    from vessl_gui.core.history.schema import MIGRATIONS as _MIGRATIONS

    path.parent.mkdir(parents=True, exist_ok=True)
    small = ", ".join(_V2_SMALL)
    opts = "content='history', content_rowid='row_id', tokenize='trigram'"
    with raw(path) as conn:
        conn.isolation_level = None
        conn.execute("PRAGMA journal_mode = WAL")
        for step in _MIGRATIONS[:2]:
            for statement in step:
                conn.execute(statement)
        conn.execute(f"CREATE VIRTUAL TABLE history_fts USING fts5({small}, {opts})")
        conn.execute(f"CREATE VIRTUAL TABLE history_data_fts USING fts5(data, {opts})")
        for statement in _V2_TRIGGERS:
            conn.execute(
                statement.format(
                    small=small,
                    new_small=", ".join(f"new.{c}" for c in _V2_SMALL),
                    old_small=", ".join(f"old.{c}" for c in _V2_SMALL),
                )
            )
        conn.execute("PRAGMA user_version = 2")
        for i in range(3):
            conn.execute(
                "INSERT INTO history (created_at, state, base_url, method, path, data, updated_at)"
                f" VALUES ({T0 + i}, 'sending', '{BASE}', 'POST', '/', '\"v2-row-{i}\"', 1)"
            )
        conn.execute(
            "UPDATE history SET state = 'pending', message = 'v2-created' WHERE row_id = 2"
        )
        if not triggers:  # as a sqlite without FTS5 leaves it: the index is stale
            for name in ("history_fts_ai", "history_fts_ad", "history_fts_au"):
                conn.execute(f"DROP TRIGGER {name}")
            conn.execute("UPDATE history SET message = 'v2-unindexed' WHERE row_id = 3")


def test_version_2_file_upgrades_and_keeps_its_text_index(db_path: Path) -> None:
    _write_v2_file(db_path, triggers=True)
    with raw(db_path) as conn:
        index_before = conn.execute("SELECT * FROM history_fts_data ORDER BY id").fetchall()
    with HistoryStore(db_path) as s:
        with raw(db_path) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
            triggers = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
            }
            assert triggers == {"history_fts_ad", "history_fts_au"}  # no insert trigger now
            assert conn.execute("SELECT indexed_upto FROM history_fts_mark").fetchone()[0] == 3
            plan = conn.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM history WHERE request_id = ?", ("x",)
            ).fetchall()
            assert "history_request_id" in str(plan)  # the id index, now without NULLs
            index_after = conn.execute("SELECT * FROM history_fts_data ORDER BY id").fetchall()
        assert index_after == index_before  # trusted as it was: not rebuilt
        assert s.count("v2-row-") == 3 and s.count("v2-created") == 1
        new = s.add(req('{"n": "v3-row"}')).row_id
        s.mark_send_failed(2, ConnectFailedError("v3-failure"))  # an old row, indexed by v2
        assert s.count("v2-created") == 0 and s.count("v3-failure") == 1
        assert [r.row_id for r in s.page(0, 9, "v3-row")] == [new]
        s.mark_sent(new, Submission("v3id", 201, 0.1))
        assert [e.row_id for e in s.find_by_request_id("v3id")] == [new]
        s.delete([1])
        assert s.count("v2-row-") == 2
        assert s.integrity_check() == "ok"


def test_version_2_file_without_its_triggers_is_reindexed(db_path: Path) -> None:
    _write_v2_file(db_path, triggers=False)
    with HistoryStore(db_path) as s:
        assert s.count("v2-unindexed") == 1 and s.count("v2-row-") == 3
        assert s.integrity_check() == "ok"


def test_search_index_rebuilt_when_triggers_were_missing(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        rid = s.add(req(), now=T0).row_id
        s.mark_send_failed(rid, ConnectFailedError("old-words here"))
    with raw(db_path) as conn:  # e.g. written by a sqlite without FTS5
        for name in ("history_fts_ad", "history_fts_au"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE history SET message = 'new-words here'")  # the index is stale now
        conn.execute(
            "INSERT INTO history (created_at, state, base_url, method, path, data, updated_at)"
            " VALUES (1, 'sending', 'https://h', 'POST', '/', '\"unindexed\"', 1)"
        )
        conn.commit()
    with HistoryStore(db_path) as s:
        assert s.count("unindexed") == 1
        assert s.count("old-words") == 0 and s.count("new-words") == 1
        assert s.integrity_check() == "ok"


def _write_v3_file(path: Path) -> None:
    """A version 3 file as the previous release wrote it, with two rows (one indexed)."""
    from vessl_gui.core.history.schema import FTS_TABLES
    from vessl_gui.core.history.schema import MIGRATIONS as _MIGRATIONS

    path.parent.mkdir(parents=True, exist_ok=True)
    with raw(path) as conn:
        conn.isolation_level = None
        conn.execute("PRAGMA journal_mode = WAL")
        for statement in FTS_TABLES:
            conn.execute(statement)
        for step in _MIGRATIONS[:3]:
            for statement in step:
                conn.execute(statement)
        conn.execute("PRAGMA user_version = 3")
        for i in range(2):
            conn.execute(
                "INSERT INTO history (created_at, state, base_url, method, path, data, updated_at,"
                f" request_id) VALUES ({T0 + i}, 'pending', '{BASE}', 'POST', '/',"
                f" '\"v3-row-{i}\"', 1, 'v3id{i}')"
            )
        for table in ("history_fts", "history_data_fts"):
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
        conn.execute("UPDATE history_fts_mark SET indexed_upto = 2")


def test_version_3_file_gains_origins_batches_and_keeps_its_rows(db_path: Path) -> None:
    _write_v3_file(db_path)
    with raw(db_path) as conn:
        index_before = conn.execute("SELECT * FROM history_fts_data ORDER BY id").fetchall()
    with HistoryStore(db_path) as s:
        with raw(db_path) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
            columns = [r[1] for r in conn.execute("PRAGMA table_info(history)")]
            assert columns[-3:] == ["origin", "batch_id", "secret_vars"]
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            assert {"batches", "history_batch"} <= names
            assert conn.execute("SELECT indexed_upto FROM history_fts_mark").fetchone()[0] == 2
            index_after = conn.execute("SELECT * FROM history_fts_data ORDER BY id").fetchall()
        assert index_after == index_before  # the text index is trusted as it was
        old = s.get(1)
        assert old is not None and old.data == '"v3-row-0"'
        assert (old.origin, old.batch_id, old.secret_vars) == ("composer", None, None)
        assert [u.row_id for u in s.unfinished()] == [1, 2]  # still polled
        assert s.count("v3-row-") == 2 and s.known_request_ids(["v3id1", "x"]) == {"v3id1"}
        assert s.batches() == []
        s.add_followed(BASE, ["new1"])
        assert s.integrity_check() == "ok"
    with HistoryStore(db_path) as s:  # opened again: nothing left to migrate
        assert s.count() == 3


def test_migration_skips_a_column_the_file_has_already(db_path: Path) -> None:
    """A file whose user_version was set back (e.g. by hand) still opens."""
    with HistoryStore(db_path) as s:
        s.add(req(), now=T0)
    with raw(db_path) as conn:
        conn.execute("PRAGMA user_version = 3")
        conn.commit()
    with HistoryStore(db_path) as s:
        assert s.count() == 1
    with raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
