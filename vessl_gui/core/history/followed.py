"""Following ids created elsewhere: a history row per id the app never sent.

VESSL has no list endpoint, so a request made with curl, a script or by a
colleague is invisible until its id is given to the app.  Each followed id
becomes a row (origin ``followed``, state ``pending``, no request data: method,
path and data are empty) that is polled like any other (``unfinished()``
returns it) and survives restarts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from vessl_gui.core.models import ORIGIN_FOLLOWED, REQUEST_ID_RE, HistoryEntry

from .base import StoreBase
from .db import chunks, marks
from .writes import now_or

#: The message of a followed row until its first status answer.
FOLLOWED_MESSAGE: Final = "Followed (created elsewhere)"
_INSERT: Final = (
    "INSERT INTO history (created_at, state, base_url, method, path, data, profile, updated_at,"
    " origin, request_id, message) VALUES (?, 'pending', ?, '', '', '', ?, ?, ?, ?, ?)"
)
_LAST: Final = "SELECT ifnull(max(row_id), 0) FROM history"


class FollowMixin(StoreBase):
    """``add_followed`` and ``known_request_ids``."""

    def add_followed(
        self,
        base_url: str,
        request_ids: Iterable[str],
        now: float | None = None,
        *,
        profile: str = "",
    ) -> list[HistoryEntry]:
        """Write one ``pending`` row per id (each once, in the order given) at the service
        ``base_url``, in one transaction; returns the rows as stored.

        The ids must match the API's pattern (``^[a-z0-9]{1,16}$``; ValueError
        otherwise, nothing written): pick them out of pasted text with
        :func:`vessl_gui.core.follow.pick_ids`.  Ids already in the history are not
        checked here (:meth:`known_request_ids` tells the caller which are).
        """
        ids = list(dict.fromkeys(request_ids))
        for rid in ids:
            if not isinstance(rid, str) or not REQUEST_ID_RE.fullmatch(rid):
                raise ValueError(f"not a request id: {rid!r}")
        if not ids:
            return []
        t = now_or(now)
        rows = [(t, base_url, profile, t, ORIGIN_FOLLOWED, rid, FOLLOWED_MESSAGE) for rid in ids]
        with self._tx("saving followed ids") as conn:
            conn.executemany(_INSERT, rows)
            # One writer, one transaction: the new rows' ids are the last len(ids) ones.
            before = int(conn.execute(_LAST).fetchone()[0]) - len(ids)
        return [
            HistoryEntry(
                before + i,
                t,
                "pending",
                base_url,
                "",
                "",
                "",
                profile,
                request_id=rid,
                message=FOLLOWED_MESSAGE,
                updated_at=t,
                origin=ORIGIN_FOLLOWED,
            )
            for i, rid in enumerate(ids, start=1)
        ]

    def known_request_ids(
        self, request_ids: Iterable[str], base_url: str | None = None
    ) -> set[str]:
        """Which of these ids have a row already (at ``base_url`` when given).

        One indexed look-up per 500 ids (the partial index on ``request_id``).
        """
        ids = list(dict.fromkeys(request_ids))
        found: set[str] = set()
        for chunk in chunks(ids):
            sql = f"SELECT DISTINCT request_id FROM history WHERE request_id IN ({marks(chunk)})"
            params = list(chunk)
            if base_url is not None:
                sql += " AND base_url = ?"
                params.append(base_url)
            found.update(str(r[0]) for r in self._query(sql, params))
        return found
