"""Cutting open connections on shutdown: the :class:`Aborter` and its network streams.

:meth:`Aborter.install` routes an ``httpx.Client``'s new connections through
:class:`AbortableBackend`, whose :class:`AbortableStream` can be shut down
from another thread, so a worker blocked in a read finishes at once.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Iterable
from typing import Any, Final

import httpcore
import httpx


class Aborter:
    """Lets another thread cut the connections of a client that may be blocked reading.

    Used on shutdown: the GUI thread calls :meth:`abort`, a worker blocked in a
    read gets an error at once and its thread can finish.  Thread-safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: set[AbortableStream] = set()
        self.aborted = False

    def _add(self, stream: AbortableStream) -> None:
        with self._lock:
            self._streams.add(stream)

    def _discard(self, stream: AbortableStream) -> None:
        with self._lock:
            self._streams.discard(stream)

    def abort(self) -> int:
        """Shut down every open connection; return how many were cut."""
        with self._lock:
            self.aborted = True
            streams = list(self._streams)
        for stream in streams:
            stream.abort()
        return len(streams)

    def install(self, client: httpx.Client) -> bool:
        """Route ``client``'s new connections through this aborter (best effort)."""
        transport = getattr(client, "_transport", None)
        pool = getattr(transport, "_pool", None)
        if pool is None or not hasattr(pool, "_network_backend"):
            return False
        pool._network_backend = AbortableBackend(pool._network_backend, self)
        return True


#: Writes up to this size are held back and go out together (see ``AbortableStream``).
HOLD: Final = 16 * 1024


class AbortableStream(httpcore.NetworkStream):
    """A connection :class:`Aborter` can cut, and which sends a small request in one write.

    httpcore writes a request's head, then its body (then an empty end): two
    TCP segments, each waking the server.  Small writes are held back here until
    a larger write, a read (the request is complete: the answer is awaited) or
    close, so a small request goes out in one write (tests/benchmarks B3).  A
    large body is written on its own, as before.
    """

    def __init__(self, inner: httpcore.NetworkStream, aborter: Aborter) -> None:
        self._inner = inner
        self._aborter = aborter
        self._held = b""
        self._held_timeout: float | None = None
        aborter._add(self)

    def _flush(self) -> None:
        held, self._held = self._held, b""
        self._inner.write(held, self._held_timeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self._held:
            self._flush()
        return self._inner.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if len(self._held) + len(buffer) <= HOLD:
            self._held += buffer
            self._held_timeout = timeout
            return
        if self._held:
            self._flush()
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._held = b""
        self._aborter._discard(self)
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        if self._held:
            self._flush()
        self._inner = self._inner.start_tls(ssl_context, server_hostname, timeout)
        return self

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)

    def abort(self) -> None:
        sock = self._inner.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class AbortableBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend, aborter: Aborter) -> None:
        self._inner = inner
        self._aborter = aborter

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if self._aborter.aborted:
            raise httpcore.ConnectError("the app is closing")
        stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return AbortableStream(stream, self._aborter)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return self._inner.connect_unix_socket(path, timeout, socket_options)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
