"""History rows to JSON Lines and CSV: every field, JSON embedded when valid, in batches."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.core.history.helpers import BASE, T0, req
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.history.export import FIELDS, entry_record, iter_all, write_csv, write_jsonl
from vessl_gui.core.models import AsyncRequest, HistoryEntry, OutputStatus, Submission


def _two_rows(store: HistoryStore) -> list[HistoryEntry]:
    a = store.add(req('{"prompt": "hi"}'), profile="prod", now=T0)
    store.mark_sent(a.row_id, Submission("id-a", 201, 0.1), now=T0 + 1)
    out = OutputStatus("completed", 200, '{"text": "ok"}', '{"text": "ok"}')
    done = store.record_output(a.row_id, out, now=T0 + 2)
    b = store.add(req("not json, with a comma"), now=T0 + 3)
    return [done, b]


def test_entry_record_embeds_valid_json_only(store: HistoryStore) -> None:
    done, b = _two_rows(store)
    record = entry_record(done)
    assert list(record)[: len(FIELDS)] == list(FIELDS)
    assert record["data_value"] == {"prompt": "hi"} and record["output"] == {"text": "ok"}
    plain = entry_record(b)
    assert "data_value" not in plain and "output" not in plain
    assert plain["data"] == "not json, with a comma" and plain["output_json"] is None


def test_write_jsonl_one_object_per_line(store: HistoryStore) -> None:
    rows = _two_rows(store)
    out = io.StringIO()
    assert write_jsonl(rows, out) == 2
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["row_id"] for line in lines] == [r.row_id for r in rows]
    assert json.loads(lines[0])["base_url"] == BASE


def test_write_csv_header_and_quoting(store: HistoryStore) -> None:
    rows = _two_rows(store)
    out = io.StringIO(newline="")
    assert write_csv(rows, out) == 2
    assert out.getvalue().count("\r\n") == 3
    table = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert table[0] == list(FIELDS)
    assert table[2][FIELDS.index("data")] == "not json, with a comma"  # quoted, one cell
    assert table[2][FIELDS.index("request_id")] == ""  # None is empty
    assert write_csv([], io.StringIO()) == 0


def test_iter_all_reads_every_matching_row_newest_first(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.db") as s:
        s.add_many((req(f'{{"n": "row-{i}"}}') for i in range(1200)), now=T0)
        ids = [e.row_id for e in iter_all(s)]
        assert ids == sorted(ids, reverse=True) and len(ids) == 1200  # three batches
        assert [e.data for e in iter_all(s, "row-1199")] == ['{"n": "row-1199"}']
        assert list(iter_all(s, "no such text")) == []


def test_a_batch_exports_its_results_in_file_order(store: HistoryStore) -> None:
    from vessl_gui.core.history.export import RESULT_FIELDS, iter_batch
    from vessl_gui.core.models import BatchMeta

    store.add(req('"not in the batch"'), now=T0)
    info = store.create_batch(
        BatchMeta("in.jsonl", BASE, "POST", "/"), [f'{{"n": {i}}}' for i in range(1100)]
    )
    first, second = store.next_queued(info.batch_id, 2)
    store.start_sending(first.row_id)
    store.mark_sent(first.row_id, Submission("res1", 201, 0.1))
    out = OutputStatus("completed", 200, '{"answer": 42}', '{"answer": 42}')
    store.record_output(first.row_id, out)
    rows = list(iter_batch(store, info.batch_id))
    assert len(rows) == 1100 and [r.data for r in rows[:2]] == ['{"n": 0}', '{"n": 1}']
    assert [r.row_id for r in rows] == sorted(r.row_id for r in rows)  # three pages
    assert list(iter_batch(store, "nope")) == []
    assert {"origin", "batch_id", "secret_vars"} <= set(FIELDS)

    lines = io.StringIO()
    assert write_jsonl(rows[:2], lines, RESULT_FIELDS) == 2
    done, queued = (json.loads(line) for line in lines.getvalue().splitlines())
    assert list(done)[: len(RESULT_FIELDS)] == list(RESULT_FIELDS)
    assert (done["request_id"], done["state"], done["output"]) == (
        "res1",
        "completed",
        {"answer": 42},
    )
    assert done["batch_id"] == info.batch_id and done["data_value"] == {"n": 0}
    assert (queued["request_id"], queued["state"], "output" in queued) == (None, "queued", False)

    table_out = io.StringIO(newline="")
    assert write_csv(rows[:2], table_out, RESULT_FIELDS) == 2
    table = list(csv.reader(io.StringIO(table_out.getvalue(), newline="")))
    assert table[0] == list(RESULT_FIELDS)
    assert table[1][RESULT_FIELDS.index("output_json")] == '{"answer": 42}'
    assert table[2][RESULT_FIELDS.index("state")] == "queued"
    assert second.row_id == rows[1].row_id


def test_export_file_picks_the_format_and_never_leaves_half_a_file(tmp_path: Path) -> None:
    from vessl_gui.core.history.export import RESULT_FIELDS, export_file

    with HistoryStore(tmp_path / "h.sqlite3") as store:
        store.add(AsyncRequest("http://127.0.0.1:9/s", "POST", "/p", '{"a": 1}'))
        rows = store.get_many([1])
    written, n = export_file(tmp_path / "out", rows, "CSV (*.csv)", fields=RESULT_FIELDS)
    assert (written.name, n) == ("out.csv", 1)
    assert written.read_text(encoding="utf-8").splitlines()[0] == ",".join(RESULT_FIELDS)
    written, _ = export_file(tmp_path / "out.jsonl", rows)
    assert json.loads(written.read_text(encoding="utf-8"))["path"] == "/p"
    folder = tmp_path / "a-folder.jsonl"
    folder.mkdir()  # cannot be replaced by a file
    with pytest.raises(OSError):
        export_file(folder, rows)
    assert not (tmp_path / "a-folder.jsonl.part").exists()
