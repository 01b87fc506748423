"""Plain, typed, immutable values that flow through the app.

form text -> :class:`RequestDraft` -> (validation) -> :class:`AsyncRequest`
-> (client) -> :class:`Submission` / :class:`OutputStatus` -> (history)
-> :class:`HistoryEntry` / :class:`HistorySummary`.

None of these ever holds the token except :class:`RequestDraft`, which is
never persisted.
"""

from __future__ import annotations

import json
import re
from dataclasses import field
from typing import Final, Literal
from urllib.parse import urlsplit

from vessl_gui.core.records import record

#: The id pattern the API promises for a created request.
REQUEST_ID_RE: Final = re.compile(r"^[a-z0-9]{1,16}$")

#: Output statuses the API documents.
OutputStatusName = Literal["pending", "in_progress", "completed", "failed"]
OUTPUT_STATUSES: Final[tuple[str, ...]] = ("pending", "in_progress", "completed", "failed")
FINAL_STATUSES: Final[frozenset[str]] = frozenset({"completed", "failed"})

#: History row states: the output statuses plus local ones.
#:  queued      - a batch item written to the history, not sent yet (never polled)
#:  sending     - the create is in flight (row written before the request left)
#:  send_error  - the create definitely did not create anything
#:  unknown     - the create was sent but no answer came: it may exist
STATE_QUEUED: Final = "queued"
STATE_SENDING: Final = "sending"
STATE_SEND_ERROR: Final = "send_error"
STATE_UNKNOWN: Final = "unknown"
ROW_STATES: Final[tuple[str, ...]] = (
    STATE_QUEUED,
    STATE_SENDING,
    "pending",
    "in_progress",
    "completed",
    "failed",
    STATE_SEND_ERROR,
    STATE_UNKNOWN,
)
#: Row states whose request exists (has an id) and is not finished: these are polled.
POLLABLE_STATES: Final[frozenset[str]] = frozenset({"pending", "in_progress"})

#: Where a history row came from (its ``origin``):
#:  composer  - Send in the composer
#:  followed  - an id created elsewhere (curl, a script, a colleague), followed here:
#:              the row has no request data (method, path and data are empty)
#:  batch     - one item of a batch sent from a file (the row's ``batch_id`` names it)
#:  again     - a row sent again from the history
ORIGIN_COMPOSER: Final = "composer"
ORIGIN_FOLLOWED: Final = "followed"
ORIGIN_BATCH: Final = "batch"
ORIGIN_AGAIN: Final = "again"
ORIGINS: Final[tuple[str, ...]] = (ORIGIN_COMPOSER, ORIGIN_FOLLOWED, ORIGIN_BATCH, ORIGIN_AGAIN)

#: Batch states (see :class:`BatchInfo`):
#:  running  - its items are being sent (or were, when the app stopped: see
#:             ``HistoryStore.recover_interrupted``, which makes it ``paused``)
#:  paused   - the user paused it; its queued rows wait for Resume
#:  stopped  - the user stopped it; its queued rows stay ``queued`` ("the rest")
#:  done     - nothing more will be sent from it
BATCH_RUNNING: Final = "running"
BATCH_PAUSED: Final = "paused"
BATCH_STOPPED: Final = "stopped"
BATCH_DONE: Final = "done"
BATCH_STATES: Final[tuple[str, ...]] = (BATCH_RUNNING, BATCH_PAUSED, BATCH_STOPPED, BATCH_DONE)


@record
class RequestDraft:
    """The composer's raw text, exactly as typed. Never persisted (holds the token)."""

    base_url: str = ""
    method: str = ""
    path: str = ""
    data: str = ""
    token: str = field(default="", repr=False)


@record
class AsyncRequest:
    """A validated asynchronous request (no token)."""

    base_url: str
    """Service base URL, scheme and host, no trailing slash, no query."""
    method: str
    """HTTP method towards the user's service (an RFC 9110 token, upper-cased)."""
    path: str
    """Path on the user's service, always starting with ``/``."""
    data: str
    """The JSON text of ``data`` exactly as typed (surrounding whitespace removed)."""

    @property
    def create_url(self) -> str:
        return f"{self.base_url}/async"

    def body(self) -> bytes:
        """The create call's JSON body; ``data`` is embedded byte-exact."""
        head = json.dumps({"method": self.method, "path": self.path}, ensure_ascii=False)
        return (head[:-1] + ', "data": ' + self.data + "}").encode("utf-8")

    @property
    def service(self) -> str:
        """A short label for the service: the last path segment of the base URL, or host."""
        return service_label(self.base_url)


def service_label(base_url: str) -> str:
    parts = urlsplit(base_url)
    segments = [s for s in parts.path.split("/") if s]
    if segments:
        return segments[-1]
    return parts.hostname or base_url


def output_url(base_url: str, request_id: str) -> str:
    return f"{base_url}/async/{request_id}/output"


@record
class Submission:
    """A successful create: the service's id for the new request."""

    request_id: str
    http_status: int
    elapsed: float
    """Seconds from sending to the answer."""


@record
class OutputStatus:
    """One answer of ``GET {base}/async/{id}/output``."""

    status: str
    """One of :data:`OUTPUT_STATUSES`."""
    status_code: int | None = None
    raw_output: str | None = None
    output_json: str | None = None
    """``output`` re-encoded as JSON text, when the answer had it."""
    fail_reason: str | None = None

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


@record
class HistorySummary:
    """What the history table shows for one row (no large columns)."""

    row_id: int
    created_at: float
    """Unix time the user pressed Send."""
    state: str
    method: str
    path: str
    base_url: str
    profile: str
    request_id: str | None
    http_status: int | None
    status_code: int | None
    message: str
    updated_at: float
    sent_at: float | None = None
    """When the create's answer arrived (the timings columns)."""
    pending_at: float | None = None
    in_progress_at: float | None = None
    finished_at: float | None = None
    origin: str = ORIGIN_COMPOSER
    """Where the row came from: one of :data:`ORIGINS`."""
    batch_id: str | None = None
    """The batch this row is an item of (origin ``batch``), else None."""
    secret_vars: str | None = None
    """Comma-separated names of the secret variables kept as ``{{name}}`` in the stored
    request (their values are never stored), or None."""

    @property
    def service(self) -> str:
        return self.profile or service_label(self.base_url)

    @property
    def is_pollable(self) -> bool:
        return self.request_id is not None and self.state in POLLABLE_STATES


@record
class HistoryEntry:
    """One full history row: what was sent and everything that came back. No token."""

    row_id: int
    created_at: float
    state: str
    base_url: str
    method: str
    path: str
    data: str
    profile: str = ""
    request_id: str | None = None
    http_status: int | None = None
    error_kind: str | None = None
    message: str = ""
    status_code: int | None = None
    raw_output: str | None = None
    output_json: str | None = None
    fail_reason: str | None = None
    sent_at: float | None = None
    """When the create's answer arrived."""
    pending_at: float | None = None
    """First poll that saw ``pending``."""
    in_progress_at: float | None = None
    """First poll that saw ``in_progress``."""
    finished_at: float | None = None
    """First poll that saw a final status."""
    last_polled_at: float | None = None
    updated_at: float = 0.0
    origin: str = ORIGIN_COMPOSER
    """Where the row came from: one of :data:`ORIGINS`."""
    batch_id: str | None = None
    """The batch this row is an item of (origin ``batch``), else None."""
    secret_vars: str | None = None
    """Comma-separated names of the secret variables kept as ``{{name}}`` in ``path`` /
    ``data`` (their values are never stored), or None."""

    @property
    def service(self) -> str:
        return self.profile or service_label(self.base_url)

    @property
    def is_pollable(self) -> bool:
        return self.request_id is not None and self.state in POLLABLE_STATES

    def request(self) -> AsyncRequest:
        return AsyncRequest(self.base_url, self.method, self.path, self.data)

    def summary(self) -> HistorySummary:
        return HistorySummary(
            row_id=self.row_id,
            created_at=self.created_at,
            state=self.state,
            method=self.method,
            path=self.path,
            base_url=self.base_url,
            profile=self.profile,
            request_id=self.request_id,
            http_status=self.http_status,
            status_code=self.status_code,
            message=self.message,
            updated_at=self.updated_at,
            sent_at=self.sent_at,
            pending_at=self.pending_at,
            in_progress_at=self.in_progress_at,
            finished_at=self.finished_at,
            origin=self.origin,
            batch_id=self.batch_id,
            secret_vars=self.secret_vars,
        )


@record
class BatchMeta:
    """What a batch is sent with, given to ``HistoryStore.create_batch`` (no token)."""

    source: str
    """The file's name (shown to the user; never its contents)."""
    base_url: str
    method: str
    path: str
    profile: str = ""
    """The service's name, as on the composer's rows."""
    concurrency: int = 4
    """Requests in flight at once."""
    rate: float | None = None
    """Starts per second at most (None: no limit)."""


@record
class BatchInfo:
    """One batch as stored: a file's items sent with one service, method and path."""

    batch_id: str
    created_at: float
    source: str
    """The file's name."""
    base_url: str
    method: str
    path: str
    profile: str
    total: int
    """How many items the batch has (rows written, valid items only)."""
    concurrency: int
    rate: float | None
    state: str
    """One of :data:`BATCH_STATES`."""
    updated_at: float

    @property
    def service(self) -> str:
        return self.profile or service_label(self.base_url)

    @property
    def is_finished(self) -> bool:
        return self.state == BATCH_DONE


@record
class Timeouts:
    """Client timeouts in seconds (defaults from the foundation issue)."""

    connect: float = 10.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0


@record
class ClientConfig:
    """How to talk to a service: timeouts and TLS (hashable: workers keep a client per config)."""

    timeouts: Timeouts = field(default_factory=Timeouts)
    verify: bool = True
    """Verify TLS certificates (on by default; off only for testing)."""
    ca_bundle: str | None = None
    """A PEM file of extra certificate authorities (a private CA), or None."""


@record
class KeyringStatus:
    """What the token store can do on this machine."""

    usable: bool
    backend_name: str
    """A human name, e.g. "Secret Service", "macOS Keychain"."""
    reason: str = ""
    """Why it is not usable (empty when usable)."""
