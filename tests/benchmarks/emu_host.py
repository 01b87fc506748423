"""The emulator in a process of its own, so it does not share a GIL with what is measured.

    python -m tests.benchmarks.emu_host '{"latency": 1.0, "queue_delay": 0, "run_time": 0}'

Prints ``{"base_url": ..., "token": ...}``, then answers each line on stdin:
``stats`` -> the emulator's :class:`~vessl_gui.emulator.EmulatorStats` as JSON;
``quit`` or end of input -> stops.  :class:`EmulatorProcess` drives it.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from types import TracebackType
from typing import Any

from tests.benchmarks.common import PYTHON, ROOT, child_env

TOKEN = "bench-token-7f3a"


def serve(options: dict[str, Any]) -> int:
    from vessl_gui.emulator import Emulator

    emu = Emulator(token=TOKEN, record_limit=10, **options).start()
    try:
        print(json.dumps({"base_url": emu.base_url, "token": TOKEN}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                print(json.dumps(dataclasses.asdict(emu.stats())), flush=True)
            elif command == "quit":
                break
    finally:
        emu.stop()
    return 0


class EmulatorProcess:
    """Start :func:`serve` in a child process; ``stats()`` asks it for its counters."""

    def __init__(self, **options: Any) -> None:
        self._proc = subprocess.Popen(
            [PYTHON, "-m", "tests.benchmarks.emu_host", json.dumps(options)],
            cwd=ROOT,
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        hello = self._read()
        self.base_url: str = hello["base_url"]
        self.token: str = hello["token"]

    def _read(self) -> dict[str, Any]:
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the emulator process ended")
        result: dict[str, Any] = json.loads(line)
        return result

    def stats(self) -> dict[str, Any]:
        assert self._proc.stdin is not None
        self._proc.stdin.write("stats\n")
        self._proc.stdin.flush()
        return self._read()

    def stop(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            try:
                self._proc.stdin.write("quit\n")
                self._proc.stdin.flush()
                self._proc.stdin.close()
            except OSError:
                pass
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


if __name__ == "__main__":
    sys.exit(serve(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}))
