"""Measure how fast a vessl-gui build starts: ``--self-test`` wall time and time to window.

    xvfb-run -a -s "-screen 0 1400x900x24" python packaging/measure_startup.py \\
        dist/vessl-gui/vessl-gui [.venv/bin/vessl-gui ...]

For each command (the bundle's binary, a venv's ``vessl-gui`` script …), runs it
``--runs`` times (default 5) and prints the median of:

* ``self-test``: the wall time of ``COMMAND --self-test`` (offscreen);
* ``window``: from starting ``COMMAND --data-dir <tmp>`` until its main window
  is mapped on the X display (polled with ``xwininfo`` every 10 ms); then the app
  is terminated.  Needs an X server (``DISPLAY``, e.g. under ``xvfb-run``) and
  ``xwininfo`` (Debian package ``x11-utils``).  Skipped without them.

Each run starts with a fresh data dir and a warm disk cache (one unmeasured run
first), so the figure is the app's own start-up, not the disk's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def self_test_seconds(command: list[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.monotonic()
    subprocess.run(
        [*command, "--self-test"], check=True, env=env, timeout=300, stdout=subprocess.DEVNULL
    )
    return time.monotonic() - start


def _window_viewable(title: str) -> bool:
    out = subprocess.run(
        ["xwininfo", "-name", title], capture_output=True, text=True, check=False, timeout=10
    )
    return out.returncode == 0 and "IsViewable" in out.stdout


def window_seconds(command: list[str], title: str = "vessl-gui", timeout: float = 60) -> float:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    with tempfile.TemporaryDirectory(prefix="vessl-gui-measure-") as data:
        start = time.monotonic()
        proc = subprocess.Popen(
            [*command, "--data-dir", data],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while not _window_viewable(title):
                if proc.poll() is not None:
                    raise RuntimeError(f"{command[0]} exited with {proc.returncode}")
                if time.monotonic() - start > timeout:
                    raise TimeoutError(f"no window after {timeout} s")
                time.sleep(0.01)
            return time.monotonic() - start
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure vessl-gui start-up times.")
    parser.add_argument("commands", nargs="+", help="vessl-gui executables to measure")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    can_window = bool(os.environ.get("DISPLAY")) and shutil.which("xwininfo") is not None
    if not can_window:
        print("note: no DISPLAY or no xwininfo: time to window is not measured", file=sys.stderr)
    for cmd in args.commands:
        command = [str(Path(cmd).absolute())] if os.sep in cmd else [cmd]
        self_test_seconds(command)  # warm the disk cache
        st = statistics.median(self_test_seconds(command) for _ in range(args.runs))
        line = f"{cmd}: --self-test {st:.2f} s"
        if can_window:
            window_seconds(command)
            win = statistics.median(window_seconds(command) for _ in range(args.runs))
            line += f", time to window {win:.2f} s"
        print(f"{line} (median of {args.runs})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
