"""Export history rows to JSON Lines or CSV (never the token: rows do not hold it)."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import json
from collections.abc import Iterable, Iterator
from typing import Any, Final, TextIO

from vessl_gui.core.models import HistoryEntry

from .store import HistoryStore

#: Every exported field, in order (the HistoryEntry fields).
FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in dataclasses.fields(HistoryEntry))
_BATCH: Final = 500


def entry_record(entry: HistoryEntry) -> dict[str, Any]:
    """One row as a plain dict; ``data`` and ``output`` are embedded as JSON when valid."""
    record = dataclasses.asdict(entry)
    for text_key, value_key in (("data", "data_value"), ("output_json", "output")):
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


def write_jsonl(entries: Iterable[HistoryEntry], out: TextIO) -> int:
    """One JSON object per line; returns how many rows were written."""
    n = 0
    for entry in entries:
        out.write(json.dumps(entry_record(entry), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(entries: Iterable[HistoryEntry], out: TextIO) -> int:
    """A header line and one line per row (RFC 4180 quoting); returns how many rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    n = 0
    for entry in entries:
        writer.writerow(["" if v is None else v for v in dataclasses.astuple(entry)])
        n += 1
    return n
