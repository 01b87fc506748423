"""The HTTP/1.1 transport of the emulator (keep-alive, Content-Length, faults).

One :class:`EmulatorHTTPServer` accepts connections on a daemon thread and
serves each on its own daemon thread; everything mutable lives in the
:class:`~vessl_gui.emulator.api.ServiceState` it is given.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import socketserver
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final

from vessl_gui.emulator.api import Answer, RecordedRequest, ServiceState, endpoint_of
from vessl_gui.emulator.faults import Fault

_MAX_LINE: Final = 1024


class _BodyTooLarge(Exception):
    pass


class _BadFraming(Exception):
    pass


class _Disconnected(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "vessl-emulator/1.0"
    sys_version = ""
    timeout = 300  # an idle keep-alive connection is closed after this
    disable_nagle_algorithm = True
    server: EmulatorHTTPServer

    # -- plumbing ---------------------------------------------------------------
    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        log = self.server.access_log
        if log is not None:
            log(f"{self.address_string()} {format % args}")

    def handle_expect_100(self) -> bool:
        # Do not invite a body that will be refused with 413.
        if self._declared_length() > self.server.state.max_body_bytes:
            return True
        return super().handle_expect_100()

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    # -- one request ----------------------------------------------------------
    def _dispatch(self) -> None:
        state = self.server.state
        path = self.path.split("?", 1)[0]
        headers = tuple(self.headers.items())
        try:
            body = self._read_body(state.max_body_bytes)
        except _BodyTooLarge:
            self._record(headers, b"")
            limit = state.max_body_bytes
            self._send(Answer.message(413, f"request body larger than {limit} bytes"), close=True)
            return
        except _BadFraming as exc:
            self._record(headers, b"")
            self._send(Answer.message(400, str(exc)), close=True)
            return
        except (_Disconnected, OSError):
            self.close_connection = True
            return
        self._record(headers, body)
        fault = state.take_fault(endpoint_of(self.command, path))
        delay = state.latency + (fault.delay if fault else 0.0)
        if delay > 0 and state.stopping.wait(delay):
            self.close_connection = True  # shutting down: give up quietly
            return
        if fault is not None and fault.drop == "before":
            self.close_connection = True
            return
        if fault is not None and fault.replaces:
            answer = self._replacement(fault)
        else:
            try:
                answer = state.handle(self.command, path, headers, body)
            except Exception as exc:  # a bug in the emulator: answer, do not hang
                state.note_error(repr(exc))
                answer = Answer.message(500, f"emulator error: {exc!r}")
            if fault is not None:
                if fault.drop == "after":
                    self.close_connection = True
                    return
                answer = answer.modified_by(fault)
        self._send(answer, truncate=fault is not None and fault.truncate)

    @staticmethod
    def _replacement(fault: Fault) -> Answer:
        assert fault.status is not None
        return Answer(fault.status, fault.replacement_body(), fault.content_type, fault.headers)

    def _record(self, headers: tuple[tuple[str, str], ...], body: bytes) -> None:
        state = self.server.state
        conn = state.connection_number(self.connection)
        state.record(RecordedRequest(self.command, self.path, headers, body, conn, state.clock()))

    def _declared_length(self) -> int:
        text = self.headers.get("Content-Length", "0").strip()
        return int(text) if text.isdigit() else 0

    def _read_body(self, limit: int) -> bytes:
        encoding = self.headers.get("Transfer-Encoding")
        if encoding is not None:
            if encoding.strip().lower() != "chunked":
                raise _BadFraming(f"unsupported Transfer-Encoding: {encoding}")
            return self._read_chunked(limit)
        text = self.headers.get("Content-Length")
        if text is None:
            return b""
        if not text.strip().isdigit():
            raise _BadFraming("bad Content-Length")
        size = int(text)
        if size > limit:
            raise _BodyTooLarge
        return self._read_exactly(size)

    def _read_exactly(self, size: int) -> bytes:
        data = self.rfile.read(size)
        if len(data) < size:
            raise _Disconnected
        return data

    def _read_line(self) -> bytes:
        line = self.rfile.readline(_MAX_LINE + 1)
        if not line:
            raise _Disconnected
        if len(line) > _MAX_LINE:
            raise _BadFraming("chunk line too long")
        return line

    def _read_chunked(self, limit: int) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                size = int(self._read_line().split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadFraming("bad chunk size") from None
            if size == 0:
                break
            total += size
            if total > limit:
                raise _BodyTooLarge
            chunks.append(self._read_exactly(size))
            if self._read_line().strip():
                raise _BadFraming("missing CRLF after chunk")
        while self._read_line().strip():  # trailers
            pass
        return b"".join(chunks)

    def _send(self, answer: Answer, *, truncate: bool = False, close: bool = False) -> None:
        body = answer.body
        if answer.status in (204, 304) or self.command == "HEAD":
            body = b""
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        if answer.status != 204:
            if body:
                self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(body)))
        if close or truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(body[: len(body) // 2] if truncate else body)
        except OSError:
            self.close_connection = True


class EmulatorHTTPServer(ThreadingHTTPServer):
    """A threading HTTP/1.1 server that counts and tracks its connections."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128
    timeout = 0.5  # handle_request never blocks longer than this

    def __init__(
        self,
        address: tuple[str, int],
        state: ServiceState,
        access_log: Callable[[str], None] | None = None,
    ) -> None:
        self.state = state
        self.access_log = access_log
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        try:
            super().__init__(address, _Handler)
        except BaseException:
            self._wake_r.close()
            self._wake_w.close()
            raise

    def serve(self) -> None:
        """Accept connections until :meth:`stop_serving` (which wakes this at once)."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._stop.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self.socket and not self._stop.is_set():
                        self.handle_request()

    def stop_serving(self) -> None:
        """Make :meth:`serve` return (from another thread)."""
        self._stop.set()
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    def server_close(self) -> None:
        super().server_close()
        self._wake_r.close()
        self._wake_w.close()

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name (getfqdn): slow without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.state.connection_opened(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        try:
            super().shutdown_request(request)
        finally:
            self.state.connection_closed(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # client went away, timeouts: not worth a traceback
        super().handle_error(request, client_address)

    def wake_connections(self) -> None:
        """Shut down every open connection so its handler thread ends now."""
        for sock in self.state.open_connections():
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
