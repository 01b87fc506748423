"""The test side of the AT-SPI client: starts ``a11y_agent.py`` in a private session bus
and asks it questions (one JSON line each way).

The agent runs with Debian's ``/usr/bin/python3`` (pyatspi is a Debian package, built
for that interpreter, not for the tests' venv) under ``dbus-run-session``, with a bus
configuration of its own that activates no service: nothing on that bus but the
accessibility bus launcher, the app and the agent (no keyring is started behind the
test's back).  The agent starts the bus launcher and the app; see its docstring.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.desktop.xdesk import ROOT, Desktop, DesktopError, app_command, read_rows

AGENT = Path(__file__).with_name("a11y_agent.py")
SYSTEM_PYTHON = "/usr/bin/python3"

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir={runtime}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class A11ySession:
    """The app on an accessibility bus, and the agent that reads it."""

    def __init__(self, desk: Desktop, data_dir: Path) -> None:
        self.desk = desk
        self.data_dir = data_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self.app_pid = 0
        self.seconds = 0.0
        self.wid = ""

    def start(self) -> A11ySession:
        conf = self.desk.workdir / "session-bus.conf"
        conf.write_text(BUS_CONFIG.format(runtime=self.desk.env["XDG_RUNTIME_DIR"]))
        spec = {"app": app_command(self.data_dir), "cwd": str(ROOT), "env": {}}
        with (self.desk.workdir / "a11y-agent.log").open("wb") as log:
            self.proc = subprocess.Popen(
                [
                    "dbus-run-session",
                    f"--config-file={conf}",
                    "--",
                    SYSTEM_PYTHON,
                    str(AGENT),
                    json.dumps(spec),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=self.desk.env,
                start_new_session=True,  # its own process group: stopped as one on failure
            )
        hello = self._read(120)
        if not hello.get("ready"):
            self.close()
            raise DesktopError(
                f"the AT-SPI agent did not start: {hello.get('error')}\n{self.log()}"
            )
        self.app_pid = int(hello["app_pid"])
        self.seconds = float(hello["seconds"])
        wid = self.desk.run(["xdotool", "search", "--onlyvisible", "--pid", str(self.app_pid)])
        self.wid = wid.split()[0]
        self.desk.rest_pointer_on(self.wid)
        return self

    def log(self) -> str:
        return self.desk.log("a11y-agent.log")

    def call(self, op: str, timeout: float = 60, **args: Any) -> Any:
        """Ask the agent; its answer, or :class:`DesktopError` with what went wrong."""
        assert self.proc is not None and self.proc.stdin is not None
        if self.proc.poll() is not None:
            raise DesktopError(f"the AT-SPI agent exited ({self.proc.returncode}):\n{self.log()}")
        self.proc.stdin.write((json.dumps({"op": op, **args}) + "\n").encode())
        self.proc.stdin.flush()
        answer = self._read(timeout)
        if not answer.get("ok"):
            raise DesktopError(f"{op}{args}: {answer.get('error')}")
        return answer["result"]

    def _read(self, timeout: float) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        end = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = end - time.monotonic()
            if left <= 0:
                raise DesktopError(f"no answer from the AT-SPI agent in {timeout} s:\n{self.log()}")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise DesktopError(f"the AT-SPI agent closed its output:\n{self.log()}")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return dict(json.loads(line))

    def rows(self) -> list[tuple[Any, ...]]:
        return read_rows(self.data_dir)

    def close(self) -> None:
        """Stdin closed: the agent stops the app and the bus launcher, and dbus-run-session
        its bus.  If that takes too long, the whole process group is killed."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        assert proc.stdin is not None and proc.stdout is not None
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdout.close()
