"""Export history rows to JSON Lines or CSV (never the token: rows do not hold it).

Every field by default (:data:`FIELDS`, the ``HistoryEntry`` fields: ``origin``
and ``batch_id`` included), or a chosen few: :data:`RESULT_FIELDS` is what a
batch's results need (which item, its id, its status, its output).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final, TextIO

from vessl_gui.core.models import HistoryEntry

from .store import HistoryStore

#: Every exported field, in order (the HistoryEntry fields).
FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in dataclasses.fields(HistoryEntry))
#: A batch's results: the row, the request's id, its status and its output (JSON Lines
#: adds ``output``, the decoded JSON, when ``output_json`` is valid).
RESULT_FIELDS: Final[tuple[str, ...]] = (
    *("row_id", "batch_id", "request_id", "state", "status_code", "message"),
    *("fail_reason", "output_json", "raw_output", "data"),
)
_BATCH: Final = 500
_DECODED: Final = (("data", "data_value"), ("output_json", "output"))


def entry_record(entry: HistoryEntry, fields: Sequence[str] = FIELDS) -> dict[str, Any]:
    """One row as a plain dict of ``fields``; ``data`` and ``output`` are embedded as
    JSON (``data_value``, ``output``) when valid and their text is among ``fields``."""
    full = dataclasses.asdict(entry)
    record = {name: full[name] for name in fields}
    for text_key, value_key in _DECODED:
        text = record.get(text_key)
        if isinstance(text, str):
            with contextlib.suppress(ValueError):
                record[value_key] = json.loads(text)
    return record


def iter_all(store: HistoryStore, text: str = "") -> Iterator[HistoryEntry]:
    """Every matching row, newest first, read in batches (bounded memory)."""
    offset = 0
    while True:
        page = store.page(offset, _BATCH, text=text)
        if not page:
            return
        yield from store.get_many([s.row_id for s in page])
        offset += len(page)


def iter_batch(store: HistoryStore, batch_id: str) -> Iterator[HistoryEntry]:
    """Every row of the batch ``batch_id``, in file order, read 500 at a time (bounded
    memory; a row deleted meanwhile is simply not there)."""
    after = 0
    while True:
        rows = store.batch_entries(batch_id, after, _BATCH)
        if not rows:
            return
        yield from rows
        after = rows[-1].row_id


def write_jsonl(
    entries: Iterable[HistoryEntry], out: TextIO, fields: Sequence[str] = FIELDS
) -> int:
    """One JSON object per line; returns how many rows were written."""
    n = 0
    for entry in entries:
        out.write(json.dumps(entry_record(entry, fields), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(entries: Iterable[HistoryEntry], out: TextIO, fields: Sequence[str] = FIELDS) -> int:
    """A header line and one line per row (RFC 4180 quoting); returns how many rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    n = 0
    for entry in entries:
        full = dataclasses.asdict(entry) if fields != FIELDS else None
        values = dataclasses.astuple(entry) if full is None else [full[f] for f in fields]
        writer.writerow(["" if v is None else v for v in values])
        n += 1
    return n


def export_file(
    path: Path,
    entries: Iterable[HistoryEntry],
    chosen_filter: str = "",
    fields: Sequence[str] = FIELDS,
) -> tuple[Path, int]:
    """Write rows to ``path``: CSV when it ends in ``.csv`` (or a CSV filter was chosen
    and it has no suffix), else JSON Lines.  Written to ``<name>.part`` and renamed, so
    a failed export never leaves half a file in its place.  Returns (the path written,
    the rows); ``OSError`` when it cannot be written."""
    as_csv = path.suffix.lower() == ".csv" or (not path.suffix and "csv" in chosen_filter.lower())
    if not path.suffix:
        path = path.with_suffix(".csv" if as_csv else ".jsonl")
    tmp = path.with_name(path.name + ".part")
    writer = write_csv if as_csv else write_jsonl
    try:
        with tmp.open("w", encoding="utf-8", newline="") as out:
            n = writer(entries, out, fields=fields)
        tmp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    return path, n
