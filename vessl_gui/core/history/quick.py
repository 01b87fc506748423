"""The first page of a text filter without collecting every match first.

:meth:`HistoryStore.page <vessl_gui.core.history.HistoryStore.page>` with a
text puts the ids of *all* matching rows in a temporary table (so a filter's
count and its pages share one search).  For a text most rows contain (the first
letters a user types, a path every request has) that is 30-90 ms over 100 000
rows, while the table only needs 200 rows to show.  :func:`quick_page` walks
the rows newest first (the ``created_at`` index) and tests each with ``LIKE``,
stopping at ``limit`` matches or when its step budget runs out (a rare text:
then the full-text index is the faster way, and the caller uses ``page``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from typing import Final

from vessl_gui.core.models import HistorySummary

from .db import marks, storage_error
from .schema import SEARCH_COLS, SUMMARY_COLS
from .store import HistoryStore

#: SQLite calls the progress handler every this many virtual-machine steps.
_STEP_GRAIN: Final = 1000
#: Walk this many grains, one more at most (~150 000 steps: ~6 000 rows, 10-15 ms on a
#: laptop); a text in fewer than ~3 % of the rows is left to the full-text search.
DEFAULT_BUDGET: Final = 150


def quick_page(
    store: HistoryStore,
    limit: int,
    text: str,
    states: Collection[str] | None = None,
    services: Collection[str] | None = None,
    descending: bool = True,
    budget: int = DEFAULT_BUDGET,
    *,
    batch_id: str | None = None,
) -> list[HistorySummary] | None:
    """The first ``limit`` rows containing ``text`` (newest first, or oldest first),
    as ``store.page(0, limit, text, states, services, "created_at", descending)``
    returns them; None when this way does not apply or is not the fast one: the
    text is empty or not plain ASCII (``LIKE`` folds ASCII case only, the full-text
    index folds all), or the walk used up its ``budget``.  ``batch_id``: only that
    batch's items (as ``page``'s)."""
    text = text.strip()
    if not text or not text.isascii() or limit <= 0:
        return None
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    likes = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in SEARCH_COLS)
    clauses = [f"({likes})"]
    params: list[object] = [f"%{escaped}%"] * len(SEARCH_COLS)
    # "+column": test these per row; an index on them would make SQLite sort every hit.
    if batch_id is not None:
        clauses.append("+batch_id = ?")
        params.append(batch_id)
    if services is not None:
        if not services:
            return []
        clauses.append(f"+base_url IN ({marks(services)})")
        params.extend(services)
    if states is not None:
        if not states:
            return []
        clauses.append(f"+state IN ({marks(states)})")
        params.extend(states)
    direction = "DESC" if descending else "ASC"
    sql = (
        f"SELECT {SUMMARY_COLS} FROM history WHERE {' AND '.join(clauses)}"
        f" ORDER BY created_at {direction}, row_id {direction} LIMIT ?"
    )
    params.append(limit)
    grains = 0

    def tick() -> int:
        nonlocal grains
        grains += 1
        # The first call comes after 1 to _STEP_GRAIN steps: sqlite counts a cached
        # statement's steps across its runs.  Not counting it makes the walk's length
        # budget to budget + 1 grains whatever ran before (not 0 to 1 grain for budget 1).
        return 1 if grains > budget + 1 else 0  # non-zero interrupts the statement

    with store.held_connection() as conn:
        conn.set_progress_handler(tick, _STEP_GRAIN)
        try:
            rows = conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as e:
            if grains > budget:
                return None
            raise storage_error(e, store.path, "searching") from e
        except sqlite3.Error as e:
            raise storage_error(e, store.path, "searching") from e
        finally:
            conn.set_progress_handler(None, 0)
    return [HistorySummary(*r) for r in rows]
