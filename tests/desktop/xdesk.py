"""A throw-away X desktop for driving the real app with real X events.

:class:`Desktop` starts Xvfb on a free display (``-displayfd``: Xvfb picks the number
itself, so parallel runs never race for one) and a window manager (evilwm: it gives new
windows and dialogs the focus, as a desktop does; without one the keys go nowhere).
:meth:`Desktop.launch_app` starts ``python -m vessl_gui --demo --data-dir DIR`` as a
process of its own, on the xcb platform, with private XDG folders and no session bus.
Keys go through ``xdotool key`` (XTEST: the path a user's keys take, not XSendEvent),
the clipboard through ``xclip``.  Every process started here is stopped by its pid.

Stdlib only: the tests' Python and the AT-SPI client (Debian's python3) can both use it.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]

#: The window manager, as it must be started: evilwm draws its (unused) labels with a core
#: X font, and Xvfb has only "fixed" and "cursor" (its default "variable" makes it exit at
#: once: "couldn't find a font to use").
WM = ("evilwm", "-fn", "fixed")
SCREEN = "1400x900x24"

T = TypeVar("T")
#: A history row as the tests read it (see :func:`read_rows`).
Row = tuple[int, str, str, str, str | None, float | None]


class DesktopError(AssertionError):
    """Something on the desktop did not happen in time (a failed expectation)."""


def wait_until(
    pred: Callable[[], T | None], timeout: float = 10.0, step: float = 0.05, what: str = ""
) -> T:
    """Poll ``pred`` until it returns something true; that value.  Exceptions count as
    "not yet"; after ``timeout`` s :class:`DesktopError` says what was awaited."""
    end = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            last = pred()
        except Exception as exc:  # polling: the thing may not be there yet
            last = exc
        else:
            if last:
                return last  # type: ignore[return-value]
        if time.monotonic() > end:
            raise DesktopError(
                f"timed out after {timeout:.1f} s waiting for {what} (last: {last!r})"
            )
        time.sleep(step)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 5.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout`` s; always waited for (no zombie)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Desktop:
    """Xvfb and the window manager, on a display of their own, in ``workdir``."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.procs: list[subprocess.Popen[bytes]] = []
        self.display = ""
        self.env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
        # Nothing started here may reach the user's session bus (a keyring, Orca's
        # accessibility bus) or write into the home folder.
        self.env["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"
        runtime = workdir / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        self.env["XDG_RUNTIME_DIR"] = str(runtime)
        for var, sub in (
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_DATA_HOME", "data"),
        ):
            (workdir / sub).mkdir(exist_ok=True)
            self.env[var] = str(workdir / sub)

    # -- life cycle -----------------------------------------------------------------

    def start(self) -> Desktop:
        read_fd, write_fd = os.pipe()
        with (self.workdir / "xvfb.log").open("wb") as log:
            xvfb = subprocess.Popen(
                [
                    "Xvfb",
                    "-displayfd",
                    str(write_fd),
                    "-screen",
                    "0",
                    SCREEN,
                    "-nolisten",
                    "tcp",
                    "-noreset",
                ],
                pass_fds=(write_fd,),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
            )
        os.close(write_fd)
        self.procs.append(xvfb)
        with os.fdopen(read_fd) as f:
            number = f.readline().strip()
        if not number:
            self.stop()
            raise DesktopError("Xvfb did not start: " + self.log("xvfb.log"))
        self.display = ":" + number
        self.env["DISPLAY"] = self.display
        with (self.workdir / "wm.log").open("wb") as log:
            wm = subprocess.Popen(list(WM), env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(wm)
        # An EWMH window manager announces itself with _NET_SUPPORTING_WM_CHECK on the root.
        wait_until(
            lambda: (
                wm.poll() is None
                and "window id" in self.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], False)
            ),
            10,
            what="evilwm to manage the screen",
        )
        return self

    def stop(self) -> None:
        while self.procs:
            stop_process(self.procs.pop())

    def log(self, name: str) -> str:
        path = self.workdir / name
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    # -- the app -----------------------------------------------------------------------

    def launch_app(self, data_dir: Path, env: dict[str, str] | None = None) -> App:
        """The real app (``python -m vessl_gui --demo``), a process of its own, mapped."""
        app_env = dict(self.env)
        app_env["QT_QPA_PLATFORM"] = "xcb"
        app_env.pop("QT_QPA_PLATFORMTHEME", None)
        app_env.update(env or {})
        cmd = app_command(data_dir)
        log_name = f"app-{len(self.procs)}.log"
        with (self.workdir / log_name).open("wb") as log:
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=app_env, stdout=log, stderr=subprocess.STDOUT
            )
        self.procs.append(proc)
        app = App(self, proc, data_dir, log_name)
        app.wait_window()
        return app

    # -- X clients ----------------------------------------------------------------------

    def run(self, cmd: Sequence[str], check: bool = True, timeout: float = 20) -> str:
        p = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise DesktopError(f"{' '.join(cmd)} -> {p.returncode}: {p.stderr.strip()}")
        return p.stdout

    def key(self, *keys: str, delay_ms: int = 30) -> None:
        """``xdotool key``: XTEST key presses to the window that has the X input focus.
        (No ``--window``: that would send synthetic events with XSendEvent instead.)"""
        self.run(["xdotool", "key", "--delay", str(delay_ms), *keys])

    def type(self, text: str, delay_ms: int = 12) -> None:
        self.run(["xdotool", "type", "--delay", str(delay_ms), "--", text])

    def clip(self, selection: str = "clipboard") -> str:
        """The clipboard's text (``selection="primary"``: the selected text's)."""
        p = subprocess.run(
            ["xclip", "-o", "-selection", selection],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
        )
        return p.stdout if p.returncode == 0 else ""

    def set_clip(self, text: str) -> None:
        # xclip forks a child that serves the selection until another client takes it:
        # its output must not be a pipe of ours, or run() would wait for it.
        subprocess.run(
            ["xclip", "-i", "-selection", "clipboard"],
            env=self.env,
            input=text.encode(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=10,
            check=True,
        )

    def windows(self, title_regex: str) -> list[str]:
        """The ids of the visible windows whose title matches."""
        return self.run(
            ["xdotool", "search", "--onlyvisible", "--name", title_regex], False
        ).split()

    def app_windows(self) -> list[str]:
        """The ids of the app's visible windows (WM_CLASS "vessl-gui")."""
        return self.run(
            ["xdotool", "search", "--onlyvisible", "--class", "vessl-gui"], False
        ).split()

    def window_name(self, wid: str) -> str:
        return self.run(["xdotool", "getwindowname", wid], False).strip()

    def focused_window(self) -> str:
        """The id of the window that has the X input focus."""
        return self.run(["xdotool", "getwindowfocus"], False).strip()

    def rest_pointer_on(self, wid: str) -> None:
        """Have the pointer rest on the middle of window ``wid``.  evilwm's focus follows
        the pointer: when a dialog (centred on its parent, so under the pointer) closes,
        the window under the pointer gets the keys back, as the dialog's parent does on
        a desktop.  Xvfb starts with the pointer in the middle of the screen, where the
        main window opens: then the pointer is not moved at all (no motion, no tooltip)."""
        geometry = self.run(["xdotool", "getwindowgeometry", "--shell", wid])
        g = {k: int(v) for k, v in (line.split("=", 1) for line in geometry.split())}
        where = self.run(["xdotool", "getmouselocation", "--shell"])
        m = {k: int(v) for k, v in (line.split("=", 1) for line in where.split())}
        inside_x = g["X"] + g["WIDTH"] // 4 <= m["X"] <= g["X"] + 3 * g["WIDTH"] // 4
        inside_y = g["Y"] + g["HEIGHT"] // 4 <= m["Y"] <= g["Y"] + 3 * g["HEIGHT"] // 4
        if not (inside_x and inside_y):
            x, y = g["X"] + g["WIDTH"] // 2, g["Y"] + g["HEIGHT"] // 2
            self.run(["xdotool", "mousemove", str(x), str(y)])

    def shot(self, path: Path) -> None:
        """A screenshot of the whole screen (needs ImageMagick's ``import``; optional)."""
        if shutil.which("import"):
            self.run(["import", "-window", "root", str(path)], False)


class App:
    """The app's process, its data dir and its log."""

    def __init__(
        self, desk: Desktop, proc: subprocess.Popen[bytes], data_dir: Path, log_name: str
    ) -> None:
        self.desk = desk
        self.proc = proc
        self.data_dir = data_dir
        self.log_name = log_name
        self.wid = ""
        self.base_url = ""  # the composer's, once the window answers keys (see tests)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def output(self) -> str:
        """What the process printed (stdout and stderr), the last 3 000 characters."""
        return self.desk.log(self.log_name)

    def wait_window(self, timeout: float = 60) -> None:
        # --class matches WM_CLASS ("vessl-gui"); --onlyvisible leaves out Qt's unmapped
        # helper windows.
        def found() -> str:
            if self.proc.poll() is not None:
                raise DesktopError(f"the app exited ({self.proc.returncode}): {self.output()}")
            ids = self.desk.app_windows()
            return ids[0] if ids else ""

        self.wid = wait_until(found, timeout, 0.1, "the main window")
        self.desk.rest_pointer_on(self.wid)

    def rows(self) -> list[Row]:
        return read_rows(self.data_dir)

    def log(self) -> str:
        """The app's own log file in the data dir."""
        path = self.data_dir / "logs" / "vessl-gui.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def quit(self, timeout: float = 15) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def read_rows(data_dir: Path) -> list[Row]:
    """(row_id, state, method, path, request_id, last_polled_at) of every history row,
    read-only (the app keeps the file open in WAL mode; a reader does not disturb it)."""
    path = data_dir / "history.sqlite3"
    if not path.exists():
        return []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute(
            "SELECT row_id, state, method, path, request_id, last_polled_at"
            " FROM history ORDER BY row_id"
        ).fetchall()
    finally:
        conn.close()


def app_command(data_dir: Path) -> list[str]:
    """How the app is started: this Python, the package from this tree."""
    return [sys.executable, "-m", "vessl_gui", "--demo", "--data-dir", str(data_dir)]
