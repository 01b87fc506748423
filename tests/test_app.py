"""The command line: --version without Qt, --self-test as packaging smoke test, --help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vessl_gui import __version__


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "vessl_gui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
        check=False,
    )


def test_version_prints_and_skips_qt() -> None:
    code = (
        "import sys\n"
        "from vessl_gui.app import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit as e:\n    print('exit', e.code)\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert f"vessl-gui {__version__}" in out.stdout
    assert "exit 0" in out.stdout
    assert out.stdout.strip().endswith("[]")


def test_self_test_passes(tmp_path: Path) -> None:
    result = run("--self-test", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for check in ("core", "history", "keyring", "window"):
        assert any(line.startswith(f"ok   {check}:") for line in lines), result.stdout
    assert lines[-1] == "self-test passed"


def test_self_test_fails_when_history_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run("--self-test", "--data-dir", str(blocker / "sub"))
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert result.stdout.splitlines()[-1] == "self-test FAILED"


def test_help_lists_the_options() -> None:
    result = run("--help")
    assert result.returncode == 0
    for opt in ("--demo", "--data-dir", "--version", "--self-test"):
        assert opt in result.stdout


def test_follow_with_a_bad_id_says_why_and_exits_2_before_qt() -> None:
    out = run("--follow", "98nlux8b0eu6,98NLUX8B0EU6")
    assert out.returncode == 2
    assert "ids are lower case (did you mean 98nlux8b0eu6?)" in out.stderr
    assert "--follow" in out.stderr


def test_help_lists_follow() -> None:
    out = run("--help")
    assert "--follow ID[,ID…]" in out.stdout
