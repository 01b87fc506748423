"""Shared helpers of the benchmark suite: statistics, memory, child processes, the table.

Every figure is measured side by side with its baseline in the same run
(interleaved: app, baseline, app, baseline ...), reported as the median of the
runs with their min and max.  Benchmarks that need Qt or a clean process run
in child processes (``python -m tests.benchmarks.<module> ...``) that print one
JSON object on their last line of stdout.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


@dataclass(frozen=True)
class Series:
    """Values of one figure over several runs."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Series:
        if not values:
            raise ValueError("a series needs at least one value")
        return cls(tuple(float(v) for v in values))

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    def fmt(self, unit: str = "", digits: int = 0) -> str:
        """``median [min–max] unit``."""

        def f(v: float) -> str:
            return f"{v:.{digits}f}"

        text = f"{f(self.median)} [{f(self.min)}–{f(self.max)}]"
        return f"{text} {unit}".rstrip()


def ratios(app: Sequence[float], base: Sequence[float]) -> Series:
    """Per-run ratios of interleaved runs (run i of the app over run i of the baseline)."""
    return Series.of([a / b for a, b in zip(app, base, strict=True)])


def deltas(app: Sequence[float], base: Sequence[float]) -> Series:
    return Series.of([a - b for a, b in zip(app, base, strict=True)])


@dataclass
class Row:
    """One line of the result table."""

    bench: str
    what: str
    app: str
    baseline: str
    figure: str
    """The compared figure: a ratio or a delta (median [min–max])."""
    target: str
    ok: bool | None
    """None: informational, no target."""
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "bench": self.bench,
            "what": self.what,
            "app": self.app,
            "baseline": self.baseline,
            "figure": self.figure,
            "target": self.target,
            "ok": self.ok,
            "notes": self.notes,
        }


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("pass" if ok else "MISS")


def table(rows: Sequence[Row]) -> str:
    """A GitHub-flavoured markdown table."""
    head = ("#", "what", "app", "baseline (same run)", "ratio / delta", "target", "")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = (r.bench, r.what, r.app, r.baseline, r.figure, r.target, verdict(r.ok))
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    """``nproc``, the CPU model, Python, PySide6 and Qt versions, the OS."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import PySide6
        from PySide6 import QtCore

        qt = f"PySide6 {PySide6.__version__} (Qt {QtCore.qVersion()})"
    except ImportError:
        qt = "PySide6 missing"
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = ""
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {qt}, "
        f"{platform.system()} {platform.release()}; {load}"
    )


# -- memory ---------------------------------------------------------------------


def rss_kb(pid: int | None = None) -> int:
    """Resident set size (``VmRSS``) of a process in KiB (Linux ``/proc``)."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc status")


# -- child processes ---------------------------------------------------------------


#: Bytecode caches for the children, outside the checkout: every process (app and
#: baseline alike) starts from compiled bytecode, as an installed app does, even
#: where PYTHONDONTWRITEBYTECODE is set.
PYCACHE = Path(tempfile.gettempdir()) / "vessl-gui-bench" / "pycache"


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child: the repository importable, Qt offscreen unless set,
    bytecode cached in :data:`PYCACHE`."""
    env = dict(os.environ)
    path = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + path if path else "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env.pop("PYTEST_CURRENT_TEST", None)
    env.update(extra)
    return env


def run_child(
    module: str, args: Sequence[str], timeout: float = 600, env: dict[str, str] | None = None
) -> Any:
    """Run ``python -m tests.benchmarks.<module> args``; return the JSON on its last line."""
    cmd = [PYTHON, "-m", f"tests.benchmarks.{module}", *args]
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        env=env or child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            f"{' '.join(cmd[2:])} failed ({proc.returncode}):\n{proc.stdout[-2000:]}"
            f"\n{proc.stderr[-4000:]}"
        )
    return json.loads(lines[-1])


def emit(result: Any) -> None:
    """A child's answer: one JSON line on stdout."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
