"""The benchmark suite (tests/benchmarks) still runs: every benchmark once, with tiny sizes.

It checks that each benchmark produces its figures (not that the targets are
met: that needs full sizes and a quiet machine, see ``tests/benchmarks/run.py``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_benchmark_runs_with_tiny_sizes(tmp_path: Path) -> None:
    raw = tmp_path / "raw.json"
    proc = subprocess.run(
        [sys.executable, "tests/benchmarks/run.py", "--quick", "--json", str(raw)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr  # 1: a target missed
    table = [line for line in proc.stdout.splitlines() if line.startswith("| B")]
    assert {line.split("|")[1].strip() for line in table} == {f"B{i}" for i in range(1, 9)}
    for line in table:
        cells = [c.strip() for c in line.split("|")[1:-1]]
        assert re.match(r"^[\d.]+ \[[\d.]+–[\d.]+\]", cells[2]), line  # app: median [min–max]
        assert cells[6] in ("pass", "MISS", "—"), line
    # Creates sent one after another (each in reply to the last answer) share one connection.
    [sequential] = [line for line in table if "one after another" in line]
    assert "s, 1 connection(s)" in sequential.split("|")[3], sequential
    assert "Machine: " in proc.stdout
    assert raw.stat().st_size > 0
