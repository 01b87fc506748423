"""B1, B2, B7: start-up to the first painted frame, and memory at idle, as processes.

    python -m tests.benchmarks.bench_startup --runs 5 [--rows 100000] [--idle-ms 1500]

Each run starts, one after the other (the order rotates between runs):

* ``bare``: a plain PySide6 ``QMainWindow`` script (the baseline);
* ``app``: ``vessl_gui.app.main --data-dir <dir>`` (the ``python -m vessl_gui``
  entry point) with an empty history;
* ``app+service``: the same with a saved service URL in its settings and a token
  saved for it (a returning user; the saved-token index says so, and the keyring
  itself is read when the token is first needed, not at start);
* ``app+rows`` (when ``--rows``): the same with a copy of a ``--rows``-row history.

``--keyring`` (run inside ``tests/with-keyring.sh``): the returning user's token is
stored in the real Secret Service of that D-Bus session first, and only ``bare`` and
``app+service`` run (what a desktop user with gnome-keyring meets).

All three go through ``first_paint.py``, which reports the first painted
frame (``CLOCK_MONOTONIC``) and the resident memory after ``--idle-ms`` of
idling.  The time is counted from just before the process is spawned, so it
includes starting Python.  Under X11 run it inside ``xvfb-run -a`` (the
runner does) with ``QT_QPA_PLATFORM=xcb``.

Every process gets the same warm bytecode cache (``PYTHONPYCACHEPREFIX``), and
one unmeasured run of each kind warms the disk cache first.

Prints one JSON object: per kind, lists of paint times (ms) and RSS (KiB).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.common import PYTHON, ROOT, child_env, emit

SCRIPT = Path(__file__).with_name("first_paint.py")
#: ... and the saved-token index (base URLs only) says its token is in the keyring.
SAVED_TOKEN_INDEX = (
    '{"version": 1, "saved": ["https://serve-api.vessl.ai/api/v1/services/llama-chat"]}\n'
)
#: A returning user's settings: the composer remembers a service's base URL.
SAVED_SERVICE = (
    "[composer]\nbaseUrl=https://serve-api.vessl.ai/api/v1/services/llama-chat\n"
    "method=POST\npath=/predictions/llama\n"
)


def spawn(args: list[str], env: dict[str, str], timeout: float = 120) -> tuple[float, int]:
    """(ms from spawn to the first painted frame, RSS in KiB after idling)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [PYTHON, str(SCRIPT), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise RuntimeError(f"{args[0]} did not finish in {timeout} s:\n{err[-3000:]}") from None
    values: dict[str, Any] = {}
    for line in out.splitlines():
        if line.startswith("{"):
            values.update(json.loads(line))
    if proc.returncode != 0 or "painted" not in values or "rss_kb" not in values:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{out}\n{err[-3000:]}")
    return (values["painted"] - start) * 1000, int(values["rss_kb"])


def store_token_in_the_keyring() -> None:
    """The returning user's token, in the real Secret Service of this D-Bus session."""
    import keyring

    keyring.set_password(
        "vessl-gui", "https://serve-api.vessl.ai/api/v1/services/llama-chat", "bench-token-4b1c"
    )


def run(runs: int, rows: int, idle_ms: int, *, keyring: bool = False) -> dict[str, Any]:
    from tests.benchmarks.data import copy_history

    env = child_env(BENCH_IDLE_MS=str(idle_ms))
    result: dict[str, Any] = {"platform": env.get("QT_QPA_PLATFORM", ""), "rows": rows}
    with tempfile.TemporaryDirectory(prefix="vessl-bench-start-") as tmp:
        empty = Path(tmp) / "empty"
        big = Path(tmp) / "big"
        saved = Path(tmp) / "saved"
        empty.mkdir()
        saved.mkdir()
        (saved / "settings.ini").write_text(SAVED_SERVICE)
        (saved / "saved-tokens.json").write_text(SAVED_TOKEN_INDEX)
        kinds: dict[str, list[str]] = {
            "bare": ["bare"],
            "app": ["app", "--data-dir", str(empty)],
            "app+service": ["app", "--data-dir", str(saved)],
        }
        if keyring:  # only the returning user, with the real Secret Service running
            store_token_in_the_keyring()
            del kinds["app"]
        if rows:
            copy_history(rows, big)
            kinds["app+rows"] = ["app", "--data-dir", str(big)]
        for args in kinds.values():  # warm the disk and bytecode caches, unmeasured
            spawn(args, env)
        for kind in kinds:
            result[kind] = {"paint_ms": [], "rss_kb": []}
        names = list(kinds)
        for i in range(runs):
            for kind in names[i % len(names) :] + names[: i % len(names)]:
                paint, rss = spawn(kinds[kind], env)
                result[kind]["paint_ms"].append(paint)
                result[kind]["rss_kb"].append(rss)
    return result


def under_xvfb(
    runs: int, rows: int, idle_ms: int, *, keyring: bool = False
) -> dict[str, Any] | None:
    """Run this module inside ``xvfb-run -a`` with the xcb platform; None without Xvfb.

    ``keyring``: inside ``tests/with-keyring.sh`` too (a D-Bus session with an unlocked
    gnome-keyring, as a desktop user has it); None without it.
    """
    if shutil.which("xvfb-run") is None or shutil.which("Xvfb") is None:
        return None
    wrap: list[str] = []
    if keyring:
        if shutil.which("dbus-run-session") is None or shutil.which("gnome-keyring-daemon") is None:
            return None
        wrap = ["bash", str(ROOT / "tests" / "with-keyring.sh")]
    env = child_env(QT_QPA_PLATFORM="xcb")
    proc = subprocess.run(
        [
            *wrap,
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1400x900x24",
            PYTHON,
            "-m",
            "tests.benchmarks.bench_startup",
            "--runs",
            str(runs),
            "--rows",
            str(rows),
            "--idle-ms",
            str(idle_ms),
            *(["--keyring"] if keyring else []),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"xvfb-run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--idle-ms", type=int, default=1500)
    parser.add_argument(
        "--keyring", action="store_true", help="the returning user with a token in the keyring"
    )
    args = parser.parse_args(argv)
    emit(run(args.runs, args.rows, args.idle_ms, keyring=args.keyring))
    return 0


if __name__ == "__main__":
    sys.exit(main())
