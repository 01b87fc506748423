"""``pip install .`` (not editable) into a fresh venv gives a working ``vessl-gui``.

Builds the wheel from a copy of the sources (so the checkout gets no ``build/``),
installs it into a throwaway venv (dependencies come from the package index,
through pip's normal cache), and runs the installed ``vessl-gui`` from outside
the checkout: ``--version``, ``--self-test`` offscreen, and the desktop entry.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.helpers import ROOT, clean_env, read_entry, run_exec
from vessl_gui import __version__, desktop

pytestmark = pytest.mark.slow

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "vessl_gui", "resources")


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A temporary folder removed at the end (a venv with Qt is ~300 MB)."""
    with tempfile.TemporaryDirectory(prefix="vessl-gui-wheel-") as tmp:
        yield Path(tmp)


def run(cmd: list[str | Path], timeout: float, **kw: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(c) for c in cmd],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kw,  # type: ignore[call-overload]
    )
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result


def build_wheel(scratch: Path) -> Path:
    src = scratch / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "screenshots")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(path, src / name)
    out = scratch / "wheels"
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, src],
        timeout=600,
        cwd=scratch,
    )
    (wheel,) = out.glob("vessl_gui-*.whl")
    return wheel


def test_wheel_installs_into_a_fresh_venv_and_passes_self_test(scratch: Path) -> None:
    started = time.monotonic()
    wheel = build_wheel(scratch)
    assert wheel.name == f"vessl_gui-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for rel in (
        "icons/vessl-gui.svg",
        "icons/hicolor/16x16/apps/vessl-gui.png",
        "icons/hicolor/512x512/apps/vessl-gui.png",
        f"linux/{desktop.DESKTOP_FILE}",
        f"linux/{desktop.METAINFO_FILE}",
    ):
        assert f"vessl_gui/resources/{rel}" in names, rel
    assert not any("screenshots" in n or n.startswith("tests/") for n in names)

    venv = scratch / "venv"
    run([sys.executable, "-m", "venv", venv], timeout=300)
    py = venv / "bin" / "python"
    run([py, "-m", "pip", "install", "-q", wheel], timeout=1200, cwd=scratch)
    exe = venv / "bin" / "vessl-gui"
    assert exe.is_file()
    env = clean_env()

    # The installed package, not the checkout, and its resources inside it.
    where = run(
        [
            py,
            "-c",
            "import vessl_gui.resources as a; print(a.__file__); "
            "print(a.resource_path('icons/vessl-gui.svg'))",
        ],
        timeout=60,
        cwd=scratch,
        env=env,
    ).stdout.splitlines()
    site = venv / "lib"
    assert Path(where[0]).is_relative_to(site), where
    assert Path(where[1]).is_relative_to(site), where

    version = run([exe, "--version"], timeout=60, cwd=scratch, env=env)
    assert version.stdout.strip() == f"vessl-gui {__version__}"

    t0 = time.monotonic()
    test = run([exe, "--self-test"], timeout=300, cwd=scratch, env=env)
    self_test_s = time.monotonic() - t0
    lines = test.stdout.splitlines()
    for check in ("core", "history", "keyring", "window"):
        assert any(line.startswith(f"ok   {check}:") for line in lines), test.stdout
    assert lines[-1] == "self-test passed"

    # The desktop entry of this install starts this install.
    data = scratch / "xdg-data"
    run(
        [exe, "--install-desktop-entry"],
        timeout=60,
        cwd=scratch,
        env=clean_env(XDG_DATA_HOME=str(data)),
    )
    entry = read_entry(data / "applications" / desktop.DESKTOP_FILE)
    assert entry["Exec"] == str(exe.absolute())
    launched = run_exec(entry["Exec"], "--version")
    assert launched.stdout.strip() == f"vessl-gui {__version__}"
    assert (data / "icons/hicolor/256x256/apps/vessl-gui.png").is_file()

    print(
        f"\nwheel install: {time.monotonic() - started:.0f} s in all, "
        f"installed --self-test {self_test_s:.1f} s",
        file=sys.stderr,
    )
