"""The fault matrix: every way the network or the service can fail, through the real window.

For each case the real window (offscreen) sends to the emulator on 127.0.0.1
(or to a local socket that misbehaves at the network level), and the test
asserts the row's state, the message in the row, the details pane and the
status bar, that the composer kept what was typed, and that a following send
on the same window completes.  With ``VESSL_RELIABILITY_REPORT`` set, the
cases and the messages they showed are written as the matrix table.
"""

from __future__ import annotations

import contextlib
import email.utils
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.reliability.conftest import TOKEN, Report, WindowFactory
from tests.reliability.helpers import (
    FullBacklog,
    LocalResolver,
    TLSServer,
    free_port,
    make_self_signed,
    resolver_client_factory,
    timeouts_client_factory,
)
from vessl_gui.core.models import RequestDraft, Timeouts
from vessl_gui.emulator import Emulator, Fault
from vessl_gui.ui.history.model import COL_MESSAGE, COL_STATUS
from vessl_gui.ui.window import MainWindow

DATA = '{\n  "prompt": "Grüße, 世界",\n  "n": 1.50\n}'
PATH = "/predictions/model"
FAST = Timeouts(connect=0.5, read=0.5, write=2, pool=2)


@dataclass(frozen=True)
class Case:
    name: str
    endpoint: str
    """"create", "output" or "network" (what failed)."""
    state: str
    """The row's state once the fault has shown."""
    needle: str
    """A part of the message the user sees."""
    fault: Fault | None = None
    net: str = ""
    """A special setup: refused, dns, tls, connect_timeout, retry_after_date, never."""
    timeouts: Timeouts | None = None
    recovers: str = "auto"
    """Output faults: "auto" (polling resumes by itself) or "refresh" (polling stopped; F5)."""


def _http_date(seconds_from_now: int) -> str:
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


CASES = [
    Case(
        "connection refused",
        "network",
        "send_error",
        "Connection refused by 127.0.0.1",
        net="refused",
    ),
    Case(
        "DNS failure",
        "network",
        "send_error",
        "Cannot find the host svc.vessl.invalid (DNS lookup failed)",
        net="dns",
    ),
    Case(
        "TLS failure (self-signed server)",
        "network",
        "send_error",
        "the certificate could not be verified",
        net="tls",
    ),
    Case(
        "connect timeout",
        "network",
        "send_error",
        "Could not connect to 127.0.0.1 within 0.5 s",
        net="connect_timeout",
        timeouts=FAST,
    ),
    Case(
        "read timeout on create",
        "create",
        "unknown",
        "no answer within 0.5 s: it may or may not have been created",
        Fault.slow(2.0),
        timeouts=FAST,
    ),
    Case(
        "connection dropped before the answer (request read, nothing done)",
        "create",
        "unknown",
        "connection was lost before the answer: it may or may not have been created",
        Fault.dropped(),
    ),
    Case(
        "connection dropped after the create ran",
        "create",
        "unknown",
        "may or may not have been created",
        Fault.dropped(after=True),
    ),
    Case(
        "answer cut off mid-body",
        "create",
        "unknown",
        "may or may not have been created",
        Fault.truncated(),
    ),
    Case(
        "301 redirect",
        "create",
        "send_error",
        "redirected (301 Moved Permanently) to https://elsewhere.invalid/async",
        Fault.redirect(301, "https://elsewhere.invalid/async"),
    ),
    Case(
        "307 redirect",
        "create",
        "send_error",
        "redirected (307 Temporary Redirect) to https://elsewhere.invalid/async",
        Fault.redirect(307, "https://elsewhere.invalid/async"),
    ),
    Case(
        "400",
        "create",
        "send_error",
        "refused the request (400 Bad Request). The service said: data must be an object",
        Fault.error(400, "data must be an object"),
    ),
    Case(
        "401",
        "create",
        "send_error",
        "The token was rejected (401 Unauthorized)",
        Fault.error(401, "invalid token"),
    ),
    Case(
        "403",
        "create",
        "send_error",
        "The token was rejected (403 Forbidden)",
        Fault.error(403, "not your service"),
    ),
    Case(
        "404",
        "create",
        "send_error",
        "No service at this base URL (404 Not Found)",
        Fault.error(404, "no such service"),
    ),
    Case(
        "409",
        "create",
        "send_error",
        "The service refused the request (409 Conflict)",
        Fault.error(409, "conflict"),
    ),
    Case(
        "413",
        "create",
        "send_error",
        "The request is too large for the service (413",
        Fault.error(413, "body too large"),
    ),
    Case(
        "422",
        "create",
        "send_error",
        "The service refused the request (422 Unprocessable",
        Fault.error(422, "path must start with /"),
    ),
    Case(
        "429 with Retry-After (seconds)",
        "create",
        "send_error",
        "Too many requests (429 Too Many Requests). It asks to wait 7 s.",
        Fault.rate_limited(7),
    ),
    Case(
        "429 with Retry-After (HTTP date)",
        "create",
        "send_error",
        "Too many requests (429 Too Many Requests). It asks to wait 1",  # 119 or 120 s
        None,
        net="retry_after_date",
    ),
    Case(
        "429 without Retry-After",
        "create",
        "send_error",
        "Too many requests (429 Too Many Requests). Try again later.",
        Fault.error(429, "slow down"),
    ),
    Case(
        "500",
        "create",
        "send_error",
        "The service failed (500 Internal Server Error). Try again in a moment.",
        Fault.error(500, "kaboom"),
    ),
    Case(
        "502 (proxy HTML page)",
        "create",
        "send_error",
        "The service failed (502 Bad Gateway). Try again in a moment. The service said: 502 Bad",
        Fault.text(502),
    ),
    Case(
        "503",
        "create",
        "send_error",
        "The service failed (503 Service Unavailable)",
        Fault.error(503, "scaling up"),
    ),
    Case(
        "504",
        "create",
        "send_error",
        "The service failed (504 Gateway Timeout)",
        Fault.error(504, "upstream timeout"),
    ),
    Case(
        "2xx with a non-JSON body",
        "create",
        "unknown",
        "answered 201 but the body is not JSON",
        Fault.text(201, "<html><body>Created</body></html>"),
    ),
    Case(
        "2xx with cut-off JSON",
        "create",
        "unknown",
        "answered 201 but the body is not JSON",
        Fault.malformed_json(),
    ),
    Case(
        "2xx without id",
        "create",
        "unknown",
        "answered 201 without a request id",
        Fault.missing_id(),
    ),
    Case(
        "2xx with a bad id",
        "create",
        "unknown",
        'with an id that is not a valid request id ("NOT-AN-ID!")',
        Fault.bad_id(),
    ),
    Case(
        "2xx with extra fields (accepted)",
        "create",
        "completed",
        "Completed (HTTP 200)",
        Fault.extra(queue_position=3, note="extra"),
    ),
    Case(
        "200 instead of 201 (accepted)",
        "create",
        "completed",
        "Completed (HTTP 200)",
        Fault.wrong_status(200),
    ),
    Case(
        "output 404",
        "output",
        "pending",
        "Status check failed: No request with id",
        Fault.error(404, "gone").sticky(),
        recovers="refresh",
    ),
    Case(
        "output 401 (token revoked)",
        "output",
        "pending",
        "Status check failed: The token was rejected (401",
        Fault.error(401, "revoked").sticky(),
        recovers="refresh",
    ),
    Case(
        "output 500",
        "output",
        "pending",
        "Status check failed: The service failed (500 Internal Server Error)",
        Fault.error(500, "db down").sticky(),
    ),
    Case(
        "output 503 (HTML)",
        "output",
        "pending",
        "Status check failed: The service failed (503 Service Unavailable)",
        Fault.text(503, "<h1>Service Unavailable</h1>").sticky(),
    ),
    Case(
        "output 429 with Retry-After",
        "output",
        "pending",
        "Status check failed: Too many requests (429 Too Many Requests). It asks to wait 1 s.",
        Fault.rate_limited(1).sticky(),
    ),
    Case(
        "output garbage (binary 200)",
        "output",
        "pending",
        "Status check failed: The service answered 200 but the body is not JSON",
        Fault(
            status=200,
            body=b"\x89PNG\r\n\x1a\n\x00\xff\xfe",
            content_type="application/octet-stream",
        ).sticky(),
    ),
    Case(
        "output cut-off JSON",
        "output",
        "pending",
        "Status check failed: The service answered 200 but the body is not JSON",
        Fault.malformed_json(200).sticky(),
    ),
    Case(
        "output JSON without status",
        "output",
        "pending",
        "Status check failed: The status answer has no 'status' field",
        Fault.json(200, {"state": "done"}).sticky(),
    ),
    Case(
        "output unknown status",
        "output",
        "pending",
        'Status check failed: The service reported an unknown status "exploded"',
        Fault.unknown_status("exploded").sticky(),
    ),
    Case(
        "output connection dropped",
        "output",
        "pending",
        "Status check failed: The connection to 127.0.0.1 was lost before the answer",
        Fault.dropped().sticky(),
    ),
    Case(
        "output read timeout",
        "output",
        "pending",
        "Status check failed: No answer from 127.0.0.1 within 0.5 s; will check again.",
        Fault.slow(1.0).sticky(),
        timeouts=FAST,
    ),
    Case("request never finishes", "output", "pending", "Queued", net="never"),
]


def fill(w: MainWindow, base_url: str, token: str = TOKEN) -> RequestDraft:
    c = w.composer
    c.base_url_edit.setText(base_url)
    c.token_edit.setText(token)
    c.method_combo.setCurrentText("POST")
    c.path_edit.setText(PATH)
    c.data_editor.setPlainText(DATA)
    return c.to_draft()


def summary(w: MainWindow, row: int) -> Any:
    s = w.model.summary_at(row)
    assert s is not None
    return s


def wait_row(qtbot: QtBot, w: MainWindow, row: int, timeout: int = 10000, **want: Any) -> Any:
    """Wait until row ``row`` has the wanted state / a message containing ``needle``."""

    def ok() -> None:
        s = summary(w, row)
        if "state" in want:
            assert s.state == want["state"], (s.state, s.message)
        if "needle" in want:
            assert want["needle"] in s.message, s.message

    qtbot.waitUntil(ok, timeout=timeout)
    return summary(w, row)


def normalise(text: str, emulator: Emulator, port: int | None, rid: str | None) -> str:
    text = text.replace(str(emulator.port), "<port>")
    if port is not None:
        text = text.replace(f":{port}", ":<port>")
    return text.replace(f"id {rid} ", "id <id> ") if rid else text


@contextlib.contextmanager
def arrange(case: Case, emulator: Emulator, tmp_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """The base URL to send to and extra window arguments for a case."""
    kw: dict[str, Any] = {}
    if case.timeouts is not None:
        kw["client_factory"] = timeouts_client_factory(case.timeouts)
    if case.net == "refused":
        yield f"http://127.0.0.1:{free_port()}/api/v1/services/x", kw
    elif case.net == "dns":
        kw["client_factory"] = resolver_client_factory(
            LocalResolver(), case.timeouts or Timeouts(connect=2, read=5)
        )
        yield "https://svc.vessl.invalid/api/v1/services/x", kw
    elif case.net == "tls":
        server = TLSServer(*make_self_signed(tmp_path))
        try:
            yield f"https://127.0.0.1:{server.port}/api/v1/services/x", kw
            assert server.requests_answered == 0  # nothing (no token) went over it
            assert server.handshakes_failed >= 1
        finally:
            server.close()
    elif case.net == "connect_timeout":
        backlog = FullBacklog()
        try:
            yield f"http://127.0.0.1:{backlog.port}/api/v1/services/x", kw
        finally:
            backlog.close()
    elif case.net == "retry_after_date":  # built now: the date is relative to the send
        emulator.inject("create", Fault.error(429, "slow down", retry_after=_http_date(120)))
        yield emulator.base_url, kw
    elif case.net == "never":
        emulator.configure(queue_delay=3600)
        yield emulator.base_url, kw
    else:
        assert case.fault is not None
        emulator.inject("output" if case.endpoint == "output" else "create", case.fault)
        yield emulator.base_url, kw


@pytest.mark.parametrize(("number", "case"), list(enumerate(CASES, 1)), ids=[c.name for c in CASES])
def test_fault_matrix(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    tmp_path: Path,
    report: Report,
    number: int,
    case: Case,
) -> None:
    with arrange(case, emulator, tmp_path) as (base_url, kw):
        w = make_window(**kw)
        typed = fill(w, base_url)
        w.send()
        if case.endpoint == "output":
            s = wait_row(qtbot, w, 0, state=case.state, needle=case.needle)
            assert s.request_id, "the create should have worked"
        else:
            s = wait_row(qtbot, w, 0, state=case.state)
        port = int(base_url.split(":")[2].split("/")[0]) if base_url.count(":") == 2 else None
        # The message is in the row (the table shows its first line) and in the details pane.
        assert case.needle in s.message
        assert s.message.isprintable(), repr(s.message)  # no control characters from the body
        assert w.model.index(0, COL_MESSAGE).data() == s.message.splitlines()[0]
        assert case.needle in w.output_view.fact("Message") or case.state == "completed"
        shown_state = str(w.model.index(0, COL_STATUS).data())
        if case.endpoint != "output" and case.state != "completed":
            # The status bar says it too (its signal may arrive just after the row's).
            qtbot.waitUntil(
                lambda: w.statusBar().currentMessage() == f"Send failed: {s.message}", timeout=2000
            )
        # Nothing typed was lost.
        assert w.composer.to_draft() == typed
        report.row(
            f"{number:02d}:{case.name}",
            case.name,
            case.endpoint,
            shown_state,
            normalise(s.message, emulator, port, s.request_id),
        )
        if case.endpoint == "output":
            _recovers(qtbot, w, emulator, case)
            return
    # The app is still usable: the same window, fixed base URL, sends and completes.
    emulator.clear_faults()
    before = summary(w, 0)
    w.composer.base_url_edit.setText(emulator.base_url)
    w.send()
    assert w.model.rowCount() == 2
    wait_row(qtbot, w, 0, state="completed")
    after = summary(w, 1)  # the failed row kept its state and message
    assert (after.row_id, after.state, after.message) == (
        before.row_id,
        before.state,
        before.message,
    )
    assert w.composer.data_editor.toPlainText() == DATA


def _recovers(qtbot: QtBot, w: MainWindow, emulator: Emulator, case: Case) -> None:
    """After an output fault: the request still completes, and new sends work."""
    rid = summary(w, 0).request_id
    if case.net == "never":
        polls = _polls(emulator, rid)
        qtbot.waitUntil(lambda: _polls(emulator, rid) > polls + 1, timeout=5000)  # still checked
        emulator.configure(queue_delay=0.05)
        w.send()
        wait_row(qtbot, w, 0, state="completed")
        assert summary(w, 1).state == "pending"  # the endless one is still followed
        return
    emulator.clear_faults()
    if case.recovers == "refresh":
        polls = _polls(emulator, rid)
        time.sleep(0.3)
        assert _polls(emulator, rid) == polls, "polling should stop after this error"
        w.select_row(0)
        w.refresh_selected()
    wait_row(qtbot, w, 0, state="completed", timeout=15000)
    assert summary(w, 0).message.startswith("Completed")
    w.send()
    wait_row(qtbot, w, 0, state="completed")


def _polls(emulator: Emulator, rid: str | None) -> int:
    return sum(1 for r in emulator.received() if r.method == "GET" and f"/{rid}/" in r.path)
