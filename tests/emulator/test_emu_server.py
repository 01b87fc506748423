"""The HTTP server itself: keep-alive, threads, shutdown, the standalone command."""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from vessl_gui.emulator import Emulator, EmulatorConfig, Fault

REPO = Path(__file__).resolve().parents[2]


def test_base_url_shape(emulator):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v1/services/demo", emulator.base_url)
    assert emulator.root_url == f"http://127.0.0.1:{emulator.port}"
    assert emulator.running


def test_base_url_needs_start():
    emu = Emulator()
    with pytest.raises(RuntimeError):
        _ = emu.base_url
    assert not emu.running


def test_one_connection_is_reused_by_an_httpx_client(emulator, api):
    ids = [api.create(i) for i in range(20)]
    for rid in ids:
        api.output(rid)
    stats = emulator.stats()
    assert stats.http_requests == 40
    assert stats.connections == 1
    assert {r.connection for r in emulator.received()} == {1}


def test_keep_alive_with_http_client(emulator, token):
    conn = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    try:
        for _ in range(5):
            conn.request(
                "POST",
                "/api/v1/services/demo/async",
                body=b'{"data": 1}',
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            r = conn.getresponse()
            assert r.status == 201
            assert r.getheader("Content-Length") == str(len(r.read()))
    finally:
        conn.close()
    assert emulator.stats().connections == 1


def test_connection_close_is_honoured(emulator, client):
    for _ in range(3):
        r = client.post("/async", json={"data": 1}, headers={"Connection": "close"})
        assert r.status_code == 201
    assert emulator.stats().connections == 3


def test_concurrent_creates_get_unique_ids(emulator, client):
    def create(i):
        r = client.post("/async", json={"data": i})
        assert r.status_code == 201
        return r.json()["id"]

    with ThreadPoolExecutor(max_workers=50) as pool:
        ids = list(pool.map(create, range(50)))
    assert len(set(ids)) == 50
    assert emulator.stats().created == 50


def test_concurrent_creates_from_separate_clients(emulator, client_for):
    barrier = threading.Barrier(20)

    def create(i):
        c = client_for(emulator)
        barrier.wait(timeout=5)
        return c.post("/async", json={"data": i}).json()["id"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        ids = list(pool.map(create, range(20)))
    assert len(set(ids)) == 20
    assert emulator.stats().connections == 20


def test_stop_is_quick_with_idle_and_sleeping_connections(token):
    emu = Emulator(token=token).start()
    idle = socket.create_connection(("127.0.0.1", emu.port))
    errors: list[BaseException] = []

    def slow_call():
        try:
            with httpx.Client(trust_env=False, base_url=emu.base_url, timeout=30) as c:
                c.post("/async", json={"data": 1}, headers={"Authorization": f"Bearer {token}"})
        except httpx.TransportError as exc:
            errors.append(exc)

    emu.inject("create", Fault.slow(30))
    worker = threading.Thread(target=slow_call)
    worker.start()
    try:
        deadline = time.monotonic() + 5
        while emu.stats().faults_applied == 0:  # the slow call is being handled
            assert time.monotonic() < deadline
            time.sleep(0.01)
        t0 = time.monotonic()
        emu.stop()
        assert time.monotonic() - t0 < 1.5
        assert not emu.running
        worker.join(5)
        assert not worker.is_alive()
        assert len(errors) == 1  # the client saw the connection go
        assert emu.stats().open_connections == 0
    finally:
        idle.close()
        emu.stop()


def test_restart_keeps_port_and_requests(token, client_for):
    emu = Emulator(token=token, queue_delay=0, run_time=0)
    try:
        emu.start()
        port = emu.port
        rid = client_for(emu).post("/async", json={"data": 1}).json()["id"]
        emu.stop()
        emu.stop()  # idempotent
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{emu.base_url}/async/{rid}/output", trust_env=False)
        emu.start()
        assert emu.port == port
        r = client_for(emu).get(f"/async/{rid}/output")
        assert r.json()["status"] == "completed"
    finally:
        emu.stop()


def test_from_config(token, client_for):
    config = EmulatorConfig(token=token, slug="svc", queue_delay=0, run_time=0)
    with Emulator.from_config(config) as emu:
        assert emu.base_url.endswith("/api/v1/services/svc")
        assert client_for(emu).post("/async", json={"data": 1}).status_code == 201


def test_access_log_is_optional(token, client_for):
    lines: list[str] = []
    with Emulator(token=token, access_log=lines.append) as emu:
        client_for(emu).post("/async", json={"data": 1})
    assert any('"POST /api/v1/services/demo/async HTTP/1.1" 201' in line for line in lines)


# -- the standalone command ----------------------------------------------------


class Standalone:
    """``python -m vessl_gui.emulator`` in a subprocess, its stdout read by a thread."""

    def __init__(self, *args: str, env_token: str | None) -> None:
        env = {k: v for k, v in os.environ.items() if k != "VESSL_EMULATOR_TOKEN"}
        if env_token is not None:
            env["VESSL_EMULATOR_TOKEN"] = env_token
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vessl_gui.emulator", "--port", "0", *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._pump = threading.Thread(target=self._read, daemon=True)
        self._pump.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        try:
            for line in self.proc.stdout:
                self.lines.put(line)
        except (OSError, ValueError):
            pass

    def wait_for_line(self, pattern: str, timeout: float = 10.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {pattern!r} in {self.seen}") from None
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match

    def stop(self, sig: int) -> tuple[int, str]:
        """Send ``sig``, wait for the exit; return the exit code and stderr."""
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=10)
        self._pump.join(5)
        assert self.proc.stderr is not None
        return code, self.proc.stderr.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._pump.join(5)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


def test_standalone_serves_with_token_from_env():
    secret = "env-secret-token-42"
    server = Standalone("--queue-delay", "0", "--run-time", "0", env_token=secret)
    try:
        base_url = server.wait_for_line(r"base URL: (http://127\.0\.0\.1:\d+/\S+)").group(1)
        assert base_url.endswith("/api/v1/services/demo")
        server.wait_for_line("Ctrl\\+C")
        auth = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(trust_env=False, base_url=base_url, headers=auth, timeout=5) as c:
            rid = c.post("/async", json={"data": "hi"}).json()["id"]
            body = c.get(f"/async/{rid}/output").json()
            assert body["status"] == "completed"
            assert body["output"]["echo"] == "hi"
            bad = c.post("/async", json={"data": 1}, headers={"Authorization": "Bearer x"})
            assert bad.status_code == 401
        assert not any(secret in line for line in server.seen)  # never printed
        code, err = server.stop(signal.SIGINT)  # Ctrl+C
        assert code == 0
        assert "Traceback" not in err
    finally:
        server.close()


def test_standalone_generates_and_prints_a_token_and_stops_on_sigterm():
    server = Standalone("--slug", "a", "--slug", "b", env_token=None)
    try:
        first = server.wait_for_line(r"base URL: (\S+)").group(1)
        second = server.wait_for_line(r"base URL: (\S+)").group(1)
        assert first.endswith("/services/a") and second.endswith("/services/b")
        token = server.wait_for_line(r"token:\s+(\S+)").group(1)
        assert len(token) >= 20
        with httpx.Client(
            trust_env=False, headers={"Authorization": f"Bearer {token}"}, timeout=5
        ) as c:
            assert c.post(f"{second}/async", json={"data": 1}).status_code == 201
        code, err = server.stop(signal.SIGTERM)
        assert code == 0
        assert "Traceback" not in err
    finally:
        server.close()


def test_standalone_reports_a_busy_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "vessl_gui.emulator", "--port", str(port), "--token", "t"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=20,
        )
    assert result.returncode == 2
    assert "cannot serve" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_package_imports_neither_qt_nor_httpx():
    code = (
        "import sys, vessl_gui.emulator, vessl_gui.emulator.__main__\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'httpx', 'httpcore')]\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_help_runs():
    result = subprocess.run(
        [sys.executable, "-m", "vessl_gui.emulator", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0
    assert "VESSL_EMULATOR_TOKEN" in result.stdout
    assert "--queue-delay" in result.stdout
