"""Shared pieces of the reliability tests: local servers that misbehave at the
network level, a DNS seam, the subprocess driver handle, scanners and meters.

Every socket here is on 127.0.0.1; nothing resolves names through the network.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpcore

from vessl_gui.core.client import ServeClient
from vessl_gui.core.models import Timeouts

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DRIVER = HERE / "app_driver.py"


# --------------------------------------------------------------------------- DNS seam


class LocalResolver(httpcore.SyncBackend):
    """An httpcore network backend that resolves host names from a fixed table.

    IP literals connect as usual; names in ``hosts`` connect to their address;
    any other name fails exactly as a failed ``getaddrinfo`` does inside httpcore
    (``httpcore.ConnectError`` caused by ``socket.gaierror``), without asking DNS.
    """

    def __init__(self, hosts: dict[str, str] | None = None) -> None:
        super().__init__()
        self.hosts = dict(hosts or {})
        self.lookups: list[str] = []

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            self.lookups.append(host)
            if host not in self.hosts:
                err = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
                raise httpcore.ConnectError(str(err)) from err
            host = self.hosts[host]
        return super().connect_tcp(host, port, timeout, local_address, socket_options)


def resolver_client_factory(
    resolver: LocalResolver, timeouts: Timeouts
) -> Callable[..., ServeClient]:
    """A ``client_factory`` for ``AppContext``: the app's own client, names via ``resolver``."""

    def factory(*_: object) -> ServeClient:
        client = ServeClient(timeouts=timeouts)
        pool = client.http._transport._pool  # type: ignore[attr-defined]
        pool._network_backend = resolver
        return client

    return factory


def timeouts_client_factory(timeouts: Timeouts) -> Callable[..., ServeClient]:
    """A ``client_factory`` that is the app's default client with these timeouts."""

    def factory(*_: object) -> ServeClient:
        return ServeClient(timeouts=timeouts)

    return factory


# --------------------------------------------------------------------------- TLS


def make_self_signed(where: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (cert.pem, key.pem).

    Uses the ``cryptography`` package (a dependency of keyring's SecretStorage on
    Linux) or, failing that, the ``openssl`` command.
    """
    cert, key = where / "cert.pem", where / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            import pytest

            pytest.skip("neither the cryptography package nor openssl is available")
        subprocess.run(
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


class TLSServer:
    """A real TLS server on 127.0.0.1 with a self-signed certificate.

    It completes handshakes when the client accepts the certificate and
    answers any request with a 201 (so a client that wrongly skipped
    verification would be noticed); ``handshakes_failed`` counts refusals.
    """

    def __init__(self, cert: Path, key: Path) -> None:
        self._ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._ctx.load_cert_chain(str(cert), str(key))
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self.handshakes_failed = 0
        self.requests_answered = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="tls-server", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            try:
                with self._ctx.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(65536)
                    tls.sendall(
                        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                        b'Content-Length: 15\r\nConnection: close\r\n\r\n{"id": "tls1"}\n'
                    )
                    self.requests_answered += 1
            except (ssl.SSLError, OSError):
                self.handshakes_failed += 1
            finally:
                conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()


class FullBacklog:
    """A listening socket on 127.0.0.1 whose accept queue is full.

    Nothing ever accepts, so the kernel drops new SYNs and a client's connect
    times out (a local stand-in for an unreachable host).
    """

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(0)
        self.port = self._sock.getsockname()[1]
        self._held: list[socket.socket] = []
        for _ in range(64):
            c = socket.socket()
            c.settimeout(0.3)
            try:
                c.connect(("127.0.0.1", self.port))
            except OSError:
                c.close()
                return
            self._held.append(c)
        raise RuntimeError("could not fill the accept queue of a local socket")

    def close(self) -> None:
        for c in self._held:
            c.close()
        self._sock.close()


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (connections are refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


# --------------------------------------------------------------------------- scanning


def encodings_of(secret: str) -> list[bytes]:
    """The byte forms a secret could take in a file: UTF-8 and UTF-16 (Qt's QString)."""
    return [secret.encode("utf-8"), secret.encode("utf-16-le"), secret.encode("utf-16-be")]


def files_under(*roots: Path) -> Iterator[Path]:
    for root in roots:
        if root.is_file():
            yield root
        elif root.is_dir():
            for p in sorted(root.rglob("*")):
                if p.is_file() and not p.is_symlink():
                    yield p


def find_secret(secret: str, *roots: Path) -> list[str]:
    """Every file under ``roots`` whose bytes contain ``secret`` (any encoding)."""
    forms = encodings_of(secret)
    hits = []
    for path in files_under(*roots):
        data = path.read_bytes()
        if any(f in data for f in forms):
            hits.append(str(path))
    return hits


# --------------------------------------------------------------------------- meters


def rss_kib(pid: int | str = "self") -> int:
    """Resident set size in KiB (``VmRSS`` of ``/proc/<pid>/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc status")


# --------------------------------------------------------------------------- the driver

#: Drivers started and not yet reaped by a test (the conftest kills leftovers).
RUNNING: list[Driver] = []


def driver_env(home: Path, **extra: str) -> dict[str, str]:
    """Environment of a driver subprocess: offscreen Qt, no keyring, private XDG dirs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "VESSL_"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    (home / "runtime").mkdir(parents=True, exist_ok=True, mode=0o700)
    env.update(extra)
    return env


@dataclass
class Driver:
    """A running ``app_driver.py``: its events (JSON lines on stdout) and stderr."""

    proc: subprocess.Popen[bytes]
    events: list[dict[str, Any]] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    exited_at: float | None = None
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _readers: list[threading.Thread] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        config: dict[str, Any],
        args: list[str],
        env: dict[str, str],
        prefix: list[str] | None = None,
    ) -> Driver:
        """Start the driver; ``config`` (with the token) goes on stdin, never in argv."""
        proc = subprocess.Popen(
            [*(prefix or []), sys.executable, str(DRIVER), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=str(ROOT),
        )
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(config).encode() + b"\n")
        proc.stdin.close()
        d = cls(proc)
        RUNNING.append(d)
        d._readers = [
            threading.Thread(target=d._read_out, daemon=True),
            threading.Thread(target=d._read_err, daemon=True),
        ]
        for t in d._readers:
            t.start()
        threading.Thread(target=d._reap, daemon=True).start()
        return d

    def _read_out(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            try:
                event = json.loads(line)
            except ValueError:
                event = {"ev": "text", "text": line}
            with self._cond:
                self.events.append(event)
                self._cond.notify_all()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            with self._cond:
                self.stderr.append(raw.decode("utf-8", "replace").rstrip("\n"))

    def _reap(self) -> None:
        self.proc.wait()
        with self._cond:
            self.exited_at = time.monotonic()
            self._cond.notify_all()

    def of(self, ev: str) -> list[dict[str, Any]]:
        with self._cond:
            return [e for e in self.events if e.get("ev") == ev]

    def wait_event(self, ev: str, timeout: float = 30.0) -> dict[str, Any]:
        """The first event named ``ev``; raises if the process ends or time runs out first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for e in self.events:
                    if e.get("ev") == ev:
                        return e
                if self.exited_at is not None:
                    raise AssertionError(
                        f"driver exited ({self.proc.returncode}) before {ev!r}; "
                        f"events={self.events[-5:]} stderr={self.stderr[-20:]}"
                    )
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"no {ev!r} within {timeout} s; stderr={self.stderr[-20:]}"
                    )
                self._cond.wait(min(left, 0.2))

    def wait_exit(self, timeout: float = 30.0) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"driver did not exit within {timeout} s") from None
        self._close()
        return code

    def _close(self) -> None:
        """Let the readers drain the pipes (children may hold them a moment), then close them."""
        for t in self._readers:
            t.join(10)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.proc.wait()
        self._close()

    @staticmethod
    def kill_all() -> None:
        """Kill every driver still running (after a failed test) and close its pipes."""
        while RUNNING:
            d = RUNNING.pop()
            if d.proc.poll() is None:
                d.kill()
            else:
                d._close()

    def qt_messages(self) -> list[str]:
        """Qt messages of warning level or worse the driver reported (the ignore list aside)."""
        with self._cond:
            return [line for line in self.stderr if line.startswith("QT-")]


# --------------------------------------------------------------------------- mounts


_MOUNT_PREFIX: list[str] | None = None
_MOUNT_WHY = ""


def private_mount_prefix(scratch: Path) -> tuple[list[str] | None, str]:
    """A command prefix that runs a command in a private mount namespace, or (None, why).

    As root ``unshare -m``; otherwise ``unshare -Urm`` (an unprivileged user
    namespace). Probed once by mounting a tiny tmpfs.
    """
    global _MOUNT_PREFIX, _MOUNT_WHY
    if _MOUNT_PREFIX is not None or _MOUNT_WHY:
        return _MOUNT_PREFIX, _MOUNT_WHY
    unshare = shutil.which("unshare")
    if unshare is None:
        _MOUNT_WHY = "the unshare command is not installed"
        return None, _MOUNT_WHY
    probe = scratch / "mount-probe"
    probe.mkdir(parents=True, exist_ok=True)
    candidates = [[unshare, "-m"], [unshare, "-Urm"]] if os.geteuid() == 0 else [[unshare, "-Urm"]]
    why = []
    for prefix in candidates:
        r = subprocess.run(
            [*prefix, "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{probe}'"],
            capture_output=True,
            text=True,
            timeout=20,
        )
        if r.returncode == 0:
            _MOUNT_PREFIX = prefix
            return prefix, ""
        why.append(f"{' '.join(prefix)}: {r.stderr.strip() or r.returncode}")
    _MOUNT_WHY = "cannot mount a tmpfs in a private mount namespace (" + "; ".join(why) + ")"
    return None, _MOUNT_WHY
