"""Desktop integration (Linux and other freedesktop.org desktops), without Qt.

``vessl-gui --install-desktop-entry`` puts, for the current user only::

    $XDG_DATA_HOME/applications/ai.vessl.gui.desktop       the menu entry
    $XDG_DATA_HOME/metainfo/ai.vessl.gui.metainfo.xml      AppStream data
    $XDG_DATA_HOME/icons/hicolor/<N>x<N>/apps/vessl-gui.png  N = 16 … 512
    $XDG_DATA_HOME/icons/hicolor/scalable/apps/vessl-gui.svg

(``XDG_DATA_HOME`` defaults to ``~/.local/share``.)  The entry's ``Exec`` is the
absolute path of the command that ran the install: the bundle's binary, the
``vessl-gui`` script of the venv (pip / pipx) or, failing both,
``python -m vessl_gui``, so the menu works even when that is not on ``PATH``.
``--uninstall-desktop-entry`` removes exactly these files.

The sources are ``resources/linux/`` and ``resources/icons/`` (inside the
installed package as ``vessl_gui/resources/``, found by
:mod:`vessl_gui.resources`); the app's identity is :mod:`vessl_gui.meta`.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from vessl_gui.meta import APP_ID, ICON_NAME
from vessl_gui.resources import HICOLOR_SIZES, resource_path

DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"

# Characters that make an Exec argument need double quotes (Desktop Entry spec 1.4).
_RESERVED = frozenset(" \t\"'\\><~|&;$*?#()`")


class DesktopEntryError(Exception):
    """The desktop entry could not be installed or removed; the message says why."""


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset, empty or relative."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def resource_file(name: str) -> Path:
    """A packaged resource; :class:`DesktopEntryError` when the install lacks it."""
    path = resource_path(name)
    if path is None:
        raise DesktopEntryError(
            f"vessl-gui's resource {name!r} is missing from this installation; reinstall vessl-gui"
        )
    return path


def launch_command() -> list[str]:
    """The command that starts this very installation of vessl-gui."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle
        return [str(Path(sys.executable).absolute())]
    script_name = "vessl-gui.exe" if sys.platform == "win32" else "vessl-gui"
    # Not resolved: a venv's python is a symlink to the base interpreter.
    beside = Path(sys.executable).absolute().parent / script_name
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("vessl-gui")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "vessl_gui"]


def _escape_string(value: str) -> str:
    """The Desktop Entry ``string`` escapes (backslash first)."""
    if any(ord(c) < 0x20 and c != "\t" for c in value):
        raise DesktopEntryError(f"cannot put a control character in a desktop entry: {value!r}")
    return value.replace("\\", "\\\\").replace("\t", "\\t")


def exec_quote(arg: str) -> str:
    """One argument of an ``Exec`` key: ``%`` doubled, quoted if needed, then string-escaped."""
    arg = arg.replace("%", "%%")
    if not arg or any(c in _RESERVED for c in arg):
        inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        arg = f'"{inner}"'
    return _escape_string(arg)


def render_desktop_entry(template: str, command: Sequence[str]) -> str:
    """The packaged .desktop file with ``Exec``/``TryExec`` pointing at ``command``."""
    if not command:
        raise DesktopEntryError("no command to put in the desktop entry")
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(exec_quote(a) for a in command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + _escape_string(command[0])
        lines.append(line)
    return "\n".join(lines) + "\n"


def installed_paths(base: Path) -> list[Path]:
    """Every file that :func:`install` writes under the data dir ``base``."""
    icons = base / "icons" / "hicolor"
    return [
        base / "applications" / DESKTOP_FILE,
        base / "metainfo" / METAINFO_FILE,
        *(icons / f"{n}x{n}" / "apps" / f"{ICON_NAME}.png" for n in HICOLOR_SIZES),
        icons / "scalable" / "apps" / f"{ICON_NAME}.svg",
    ]


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _refresh_icon_cache(base: Path) -> None:
    """Update an existing GTK icon cache so it does not hide the new icons (best effort)."""
    hicolor = base / "icons" / "hicolor"
    tool = shutil.which("gtk-update-icon-cache")
    if tool and (hicolor / "icon-theme.cache").exists():
        import subprocess  # here: the app imports this module at every start

        subprocess.run(
            [tool, "--force", "--ignore-theme-index", "--quiet", str(hicolor)],
            check=False,
            timeout=30,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def _check_platform() -> None:
    if sys.platform in ("win32", "darwin"):
        raise DesktopEntryError(
            "desktop entries are for Linux and other freedesktop.org desktops; "
            "on Windows and macOS use the app bundle (see the README)"
        )


def install(base: Path | None = None, command: Sequence[str] | None = None) -> list[Path]:
    """Install the desktop entry, metainfo and icons under ``base`` (the XDG data dir).

    Returns the files written.  Raises :class:`DesktopEntryError` with a plain message.
    """
    _check_platform()
    base = data_home() if base is None else base
    command = launch_command() if command is None else list(command)
    desktop, metainfo, *pngs, svg = installed_paths(base)
    try:
        template = resource_file(f"linux/{DESKTOP_FILE}").read_text(encoding="utf-8")
        # Icons first, the menu entry last: a menu never shows the entry without its icon.
        sources: list[tuple[Path, bytes]] = []
        for size, target in zip(HICOLOR_SIZES, pngs, strict=True):
            src = resource_file(f"icons/hicolor/{size}x{size}/apps/{ICON_NAME}.png")
            sources.append((target, src.read_bytes()))
        sources.append((svg, resource_file(f"icons/{ICON_NAME}.svg").read_bytes()))
        sources.append((metainfo, resource_file(f"linux/{METAINFO_FILE}").read_bytes()))
        sources.append((desktop, render_desktop_entry(template, command).encode("utf-8")))
        for target, data in sources:
            _write(target, data)
    except OSError as exc:
        raise DesktopEntryError(f"could not install the desktop entry under {base}: {exc}") from exc
    _refresh_icon_cache(base)
    return [target for target, _ in sources]


def uninstall(base: Path | None = None) -> list[Path]:
    """Remove what :func:`install` wrote under ``base``; returns the files removed."""
    _check_platform()
    base = data_home() if base is None else base
    removed = []
    for path in installed_paths(base):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DesktopEntryError(f"could not remove {path}: {exc}") from exc
        removed.append(path)
    if removed:
        _refresh_icon_cache(base)
    return removed


def main_install() -> int:
    """``vessl-gui --install-desktop-entry``: prints what it did; exit code 0 or 1."""
    try:
        command = launch_command()
        written = install(command=command)
    except DesktopEntryError as exc:
        print(f"vessl-gui: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"installed {path}")
    print(f"The menu entry runs: {' '.join(command)}")
    print("To remove it: vessl-gui --uninstall-desktop-entry")
    return 0


def main_uninstall() -> int:
    """``vessl-gui --uninstall-desktop-entry``: prints what it removed; exit code 0 or 1."""
    try:
        removed = uninstall()
    except DesktopEntryError as exc:
        print(f"vessl-gui: {exc}", file=sys.stderr)
        return 1
    for path in removed:
        print(f"removed {path}")
    if not removed:
        print(f"vessl-gui: no desktop entry was installed under {data_home()}")
    return 0
