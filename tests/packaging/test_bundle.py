"""The PyInstaller one-folder bundle builds, unpacks anywhere and passes ``--self-test``.

Runs ``packaging/build_bundle.py`` into a temporary folder (never ``dist/`` of the
checkout), unpacks the ``.tar.gz`` elsewhere and runs the unpacked binary
offscreen, from outside the checkout, with no Python of ours on the path.  The
keyring line must name the same backend as the source install: the bundle has
its entry-point backends (on CI: the real Secret Service).  Prints the build
time, sizes and start time, the figures the README quotes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.helpers import (
    ROOT,
    clean_env,
    load_script,
    read_entry,
    require_module,
    require_tool,
    run_exec,
)
from vessl_gui import __version__, desktop

pytestmark = pytest.mark.slow


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A temporary folder removed at the end (the bundle and its copies are ~500 MB)."""
    with tempfile.TemporaryDirectory(prefix="vessl-gui-bundle-") as tmp:
        yield Path(tmp)


def keyring_line(output: str) -> str:
    return next(
        line for line in output.splitlines() if line.startswith(("ok   keyring", "FAIL keyring"))
    )


def test_bundle_builds_and_the_unpacked_binary_passes_self_test(scratch: Path) -> None:
    require_module("PyInstaller", "pip install -e '.[bundle]'")
    require_tool("tar", "tar")
    build_bundle = load_script("build_bundle")
    dist = scratch / "dist"

    started = time.monotonic()
    built = subprocess.run(
        [
            sys.executable,
            ROOT / "packaging" / "build_bundle.py",
            "--dist",
            dist,
            "--work",
            scratch / "work",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    build_s = time.monotonic() - started
    assert built.returncode == 0, built.stdout[-5000:] + built.stderr[-5000:]

    folder = dist / "vessl-gui"
    assert (folder / "vessl-gui").is_file() and os.access(folder / "vessl-gui", os.X_OK)
    internal = folder / "_internal"
    # The resources, where resource_path() looks; keyring's entry points.
    for rel in (
        f"vessl_gui/resources/linux/{desktop.DESKTOP_FILE}",
        f"vessl_gui/resources/linux/{desktop.METAINFO_FILE}",
        "vessl_gui/resources/icons/vessl-gui.svg",
        "vessl_gui/resources/icons/hicolor/48x48/apps/vessl-gui.png",
    ):
        assert (internal / rel).is_file(), rel
    assert not (internal / "vessl_gui/resources/screenshots").exists()
    (keyring_meta,) = internal.glob("keyring-*.dist-info")
    assert "keyring.backends" in (keyring_meta / "entry_points.txt").read_text()

    archive = dist / f"vessl-gui-{__version__}-{build_bundle.platform_tag()}.tar.gz"
    assert archive.is_file(), sorted(p.name for p in dist.iterdir())
    unpacked = scratch / "somewhere else"
    unpacked.mkdir()
    subprocess.run(["tar", "-xzf", archive, "-C", unpacked], check=True, timeout=600)
    assert sorted(p.name for p in unpacked.iterdir()) == ["vessl-gui"]
    exe = unpacked / "vessl-gui" / "vessl-gui"
    env = clean_env()

    version = subprocess.run(
        [exe, "--version"], capture_output=True, text=True, timeout=120, env=env, cwd=scratch
    )
    assert version.stdout.strip() == f"vessl-gui {__version__}", version.stderr

    t0 = time.monotonic()
    test = subprocess.run(
        [exe, "--self-test"], capture_output=True, text=True, timeout=300, env=env, cwd=scratch
    )
    self_test_s = time.monotonic() - t0
    assert test.returncode == 0, test.stdout + test.stderr
    lines = test.stdout.splitlines()
    for check in ("core", "history", "keyring", "window"):
        assert any(line.startswith(f"ok   {check}:") for line in lines), test.stdout
    assert lines[-1] == "self-test passed"

    # Same keyring backend as the source install sees in this session.
    source = subprocess.run(
        [sys.executable, "-m", "vessl_gui", "--self-test"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    assert keyring_line(test.stdout) == keyring_line(source.stdout)
    if os.environ.get("CI") == "true":
        assert keyring_line(test.stdout) == "ok   keyring: Secret Service (usable)"

    # Its desktop entry starts the bundle itself.
    data = scratch / "xdg-data"
    installed = subprocess.run(
        [exe, "--install-desktop-entry"],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(XDG_DATA_HOME=str(data)),
    )
    assert installed.returncode == 0, installed.stderr
    entry = read_entry(data / "applications" / desktop.DESKTOP_FILE)
    assert entry["Exec"] == desktop.exec_quote(str(exe))
    launched = run_exec(entry["Exec"], "--version")
    assert launched.stdout.strip() == f"vessl-gui {__version__}"

    size_mb = build_bundle.tree_size(folder) / 1e6
    print(
        f"\nbundle: built in {build_s:.0f} s, {size_mb:.0f} MB unpacked, "
        f"{archive.stat().st_size / 1e6:.0f} MB .tar.gz, --self-test {self_test_s:.1f} s",
        file=sys.stderr,
    )
