"""Test data for the benchmarks: a large history file and a large JSON payload.

Both are deterministic (seeded), so every run measures the same bytes.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
    "uniform",
    "victor",
    "whiskey",
    "xray",
    "yankee",
    "zulu",
    "summarise",
    "translate",
    "classify",
    "embed",
    "answer",
    "image",
    "caption",
    "résumé",
    "naïve",
    "東京",
    "données",
]
SERVICES = tuple(
    f"https://serve-api.vessl.ai/api/v1/services/{name}"
    for name in ("llama-chat", "whisper-large", "sdxl-turbo", "bge-embed", "qwen-coder")
)
#: A version of the seeding recipe: cached files from another recipe are not reused
#: (3: history schema 3, so B5/B7 do not time a migration of the copy).
RECIPE = 3


def _request(rng: random.Random, i: int) -> AsyncRequest:
    prompt = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 40)))
    data = json.dumps(
        {"prompt": prompt, "max_tokens": rng.choice((64, 256, 1024)), "seed": i},
        ensure_ascii=False,
    )
    return AsyncRequest(
        base_url=SERVICES[i % len(SERVICES)],
        method="POST",
        path=f"/predictions/model-{i % 97}",
        data=data,
    )


def seed_history(path: Path, rows: int, seed: int = 6) -> None:
    """A history of ``rows`` finished requests over the last ``rows`` minutes (~95 %
    completed, the rest failed), written through :meth:`HistoryStore.add_many`."""
    rng = random.Random(seed)
    with HistoryStore(path) as store:
        store.add_many(_request(rng, i) for i in range(rows))
    # Give the rows ids, outcomes and spread-out times in one statement (a user's
    # history is finished requests, not 100 000 sends in flight).  The FTS update
    # trigger is dropped for it; opening the store again rebuilds the indexes.
    now = time.time()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER IF EXISTS history_fts_au")
        conn.execute(
            """UPDATE history SET
                 created_at = :now - (:n - row_id) * 60.0,
                 updated_at = :now - (:n - row_id) * 60.0 + 3,
                 sent_at = :now - (:n - row_id) * 60.0 + 0.2,
                 finished_at = :now - (:n - row_id) * 60.0 + 3,
                 request_id = lower(hex(randomblob(8))),
                 http_status = 201,
                 state = CASE WHEN row_id % 20 = 0 THEN 'failed' ELSE 'completed' END,
                 status_code = CASE WHEN row_id % 20 = 0 THEN 500 ELSE 200 END,
                 message = CASE WHEN row_id % 20 = 0 THEN 'model crashed: CUDA out of memory'
                                ELSE 'Completed (HTTP 200)' END,
                 output_json = '{"text": "ok", "tokens": ' || (row_id % 1000) || '}',
                 raw_output = '{"text": "ok", "tokens": ' || (row_id % 1000) || '}'
            """,
            {"now": now, "n": rows},
        )
    finally:
        conn.close()
    HistoryStore(path).close()  # recreates the missing trigger and rebuilds the indexes


def history_template(rows: int) -> Path:
    """A cached seeded history file with ``rows`` rows (built once per machine and size)."""
    cache = Path(tempfile.gettempdir()) / "vessl-gui-bench"
    cache.mkdir(exist_ok=True)
    path = cache / f"history-{rows}-r{RECIPE}.sqlite3"
    if not path.exists():  # built under a name of this process's own, then moved in place
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        try:
            seed_history(partial, rows)
            os.replace(partial, path)
        finally:
            for leftover in cache.glob(partial.name + "*"):
                leftover.unlink()
    return path


def copy_history(rows: int, data_dir: Path) -> Path:
    """A fresh copy of the seeded history as ``data_dir/history.sqlite3``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    dest = data_dir / "history.sqlite3"
    if rows:
        shutil.copyfile(history_template(rows), dest)
    return dest


def json_payload(size: int, seed: int = 5) -> str:
    """Pretty-printed JSON text of about ``size`` characters (nested objects, numbers,
    Unicode, escapes), like a batch of records a user might paste."""
    rng = random.Random(seed)
    records = []
    length = 2
    i = 0
    while length < size:
        record = {
            "id": i,
            "name": " ".join(rng.choice(WORDS) for _ in range(3)),
            "score": round(rng.random() * 100, 3),
            "big": 2**70 + i,
            "tags": [rng.choice(WORDS) for _ in range(4)],
            "nested": {"ok": i % 3 == 0, "note": 'a "quoted" \\ value', "n": None},
        }
        text = "    " + json.dumps(record, ensure_ascii=False, indent=4).replace("\n", "\n    ")
        records.append(text)
        length += len(text) + 2
        i += 1
    body = ",\n".join(records)
    return '{\n    "records": [\n' + body + "\n    ]\n}\n"
