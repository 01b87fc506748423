"""Build the one-folder app with PyInstaller, archive it, and optionally smoke-test it.

    python packaging/build_bundle.py [--dist DIR] [--work DIR] [--no-archive] [--self-test]

Needs PyInstaller in the running interpreter (``pip install -e '.[bundle]'``).
Produces, under ``--dist`` (default ``dist/``, git-ignored):

* Linux:   ``vessl-gui/vessl-gui`` and ``vessl-gui-<version>-linux-<arch>.tar.gz``
* macOS:   ``vessl-gui.app`` and ``vessl-gui-<version>-macos-<arch>.tar.gz`` (of the .app)
* Windows: ``vessl-gui\\vessl-gui.exe`` and ``vessl-gui-<version>-windows-<arch>.zip``

PyInstaller's scratch files go to ``--work`` (default ``build/pyinstaller``).  The
archive holds a single top-level folder.  ``--self-test`` runs the bundled binary
with ``--self-test`` offscreen.  The last lines printed are the figures: build
time, bundle size, archive size, self-test wall time.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "vessl-gui.spec"


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    if system.startswith("linux"):
        system = "linux"
    machine = platform.machine().lower() or "unknown"
    return f"{system}-{ {'amd64': 'x86_64', 'aarch64': 'arm64'}.get(machine, machine) }"


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from vessl_gui import __version__

    return __version__


def bundle_root(dist: Path) -> Path:
    """What gets archived: the .app on macOS, else the one-folder directory."""
    return dist / "vessl-gui.app" if sys.platform == "darwin" else dist / "vessl-gui"


def executable(dist: Path) -> Path:
    if sys.platform == "win32":
        return dist / "vessl-gui" / "vessl-gui.exe"
    return dist / "vessl-gui" / "vessl-gui"


def tree_size(path: Path) -> int:
    """Bytes in regular files under ``path`` (symlinks not followed)."""
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            p = Path(dirpath, name)
            if not p.is_symlink():
                total += p.stat().st_size
    return total


def run_pyinstaller(dist: Path, work: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    subprocess.run(cmd, check=True, cwd=ROOT)


def _reset_owner(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def make_archive(dist: Path) -> Path:
    root = bundle_root(dist)
    stem = f"vessl-gui-{version()}-{platform_tag()}"
    if sys.platform == "win32":
        archive = dist / f"{stem}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for dirpath, _dirs, files in os.walk(root):
                for name in sorted(files):
                    path = Path(dirpath, name)
                    zf.write(path, path.relative_to(dist))
        return archive
    archive = dist / f"{stem}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tf:
        tf.add(root, arcname=root.name, filter=_reset_owner)
    return archive


def self_test(dist: Path) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.monotonic()
    subprocess.run([str(executable(dist)), "--self-test"], check=True, env=env, timeout=300)
    return time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the vessl-gui one-folder app.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output dir (dist/)")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="scratch dir"
    )
    parser.add_argument("--no-archive", action="store_true", help="skip the .tar.gz / .zip")
    parser.add_argument("--self-test", action="store_true", help="run the bundle's --self-test")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()

    start = time.monotonic()
    run_pyinstaller(dist, work)
    build_s = time.monotonic() - start
    exe = executable(dist)
    if not exe.is_file():
        print(f"build_bundle: PyInstaller made no {exe}", file=sys.stderr)
        return 1
    figures = [
        f"build time:    {build_s:.0f} s",
        f"bundle:        {bundle_root(dist)} ({tree_size(bundle_root(dist)) / 1e6:.0f} MB)",
    ]
    if not args.no_archive:
        archive = make_archive(dist)
        figures.append(f"archive:       {archive} ({archive.stat().st_size / 1e6:.0f} MB)")
    if args.self_test:
        figures.append(f"--self-test:   {self_test(dist):.1f} s wall")
    print("\n".join(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
