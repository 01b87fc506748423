"""--install-desktop-entry and --uninstall-desktop-entry against a tmp XDG_DATA_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.helpers import (
    ROOT,
    read_entry,
    require_tool,
    run_exec,
    unescape_exec,
    validate_desktop,
)
from vessl_gui import __version__, desktop

# Runs the real entry point in a fresh interpreter and reports whether Qt was imported.
CLI = (
    "import sys\n"
    "from vessl_gui.app import main\n"
    "code = main(sys.argv[1:])\n"
    "print('qt modules:', sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    "sys.exit(code)\n"
)


def cli(*args: str, data_home: Path | str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(data_home)}
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_install_and_uninstall_without_qt(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = cli("--install-desktop-entry", data_home=data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "qt modules: []" in result.stdout
    expected = desktop.installed_paths(data)
    for path in expected:
        assert path.is_file(), path
        assert f"installed {path}" in result.stdout
    # The icons are the packaged ones, byte for byte.
    for size in desktop.HICOLOR_SIZES:
        rel = f"icons/hicolor/{size}x{size}/apps/vessl-gui.png"
        assert (data / rel).read_bytes() == (ROOT / "resources" / rel).read_bytes()
    assert (data / "icons/hicolor/scalable/apps/vessl-gui.svg").read_bytes() == (
        ROOT / "resources/icons/vessl-gui.svg"
    ).read_bytes()
    metainfo = data / "metainfo" / desktop.METAINFO_FILE
    assert metainfo.read_bytes() == (ROOT / "resources/linux" / desktop.METAINFO_FILE).read_bytes()

    entry_path = data / "applications" / desktop.DESKTOP_FILE
    validate_desktop(entry_path)
    entry = read_entry(entry_path)
    # Exec is this installation's own launcher (here: the venv's vessl-gui script), absolute.
    assert entry["Exec"] == " ".join(desktop.exec_quote(a) for a in desktop.launch_command())
    assert Path(unescape_exec(entry["TryExec"])).is_absolute()
    started = run_exec(entry["Exec"], "--version")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == f"vessl-gui {__version__}"

    removed = cli("--uninstall-desktop-entry", data_home=data)
    assert removed.returncode == 0, removed.stderr
    assert "qt modules: []" in removed.stdout
    for path in expected:
        assert not path.exists(), path
        assert f"removed {path}" in removed.stdout

    again = cli("--uninstall-desktop-entry", data_home=data)
    assert again.returncode == 0
    assert f"no desktop entry was installed under {data}" in again.stdout


def test_exec_survives_an_awkward_install_path(tmp_path: Path) -> None:
    """Spaces, quotes, $, %, backquotes and backslashes in the path still start the app."""
    folder = tmp_path / "my apps" / 'it\'s "vessl" $HOME 100% `x` back\\slash'
    folder.mkdir(parents=True)
    fake = folder / "vessl gui"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$0" "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    data = tmp_path / "data"
    desktop.install(data, command=[str(fake), "--data-dir", str(folder)])
    entry_path = data / "applications" / desktop.DESKTOP_FILE
    validate_desktop(entry_path)
    entry = read_entry(entry_path)
    started = run_exec(entry["Exec"])
    assert started.returncode == 0, started.stderr
    assert started.stdout.splitlines() == [str(fake), "--data-dir", str(folder)]
    assert unescape_exec(entry["TryExec"]) == str(fake)


def test_install_twice_replaces_files_and_leaves_no_temporaries(tmp_path: Path) -> None:
    first = desktop.install(tmp_path, command=["/opt/a/vessl-gui"])
    second = desktop.install(tmp_path, command=["/opt/b/vessl-gui"])
    assert sorted(first) == sorted(second) == sorted(desktop.installed_paths(tmp_path))
    entry = read_entry(tmp_path / "applications" / desktop.DESKTOP_FILE)
    assert entry["Exec"] == "/opt/b/vessl-gui"
    every_file = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert every_file == set(second)


def test_uninstall_leaves_other_apps_alone(tmp_path: Path) -> None:
    desktop.install(tmp_path, command=["/usr/bin/vessl-gui"])
    others = [
        tmp_path / "applications" / "org.example.Other.desktop",
        tmp_path / "icons/hicolor/48x48/apps/other.png",
        tmp_path / "metainfo/org.example.Other.metainfo.xml",
    ]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not ours")
    removed = desktop.uninstall(tmp_path)
    assert sorted(removed) == sorted(desktop.installed_paths(tmp_path))
    assert all(p.read_text() == "not ours" for p in others)


def test_an_unusable_data_dir_gets_a_plain_message(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be")
    result = cli("--install-desktop-entry", data_home=blocker)
    assert result.returncode == 1
    assert f"could not install the desktop entry under {blocker}" in result.stderr
    assert "Traceback" not in result.stderr


def test_xdg_data_home_rules(tmp_path: Path) -> None:
    home_default = Path.home() / ".local" / "share"
    assert desktop.data_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path
    assert desktop.data_home({}) == home_default
    assert desktop.data_home({"XDG_DATA_HOME": ""}) == home_default
    # The spec says a relative path is invalid and must be ignored.
    assert desktop.data_home({"XDG_DATA_HOME": "relative/dir"}) == home_default


def test_default_target_is_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    written = desktop.install(command=["/usr/bin/vessl-gui"])
    assert all(p.is_relative_to(tmp_path) for p in written)
    assert sorted(desktop.uninstall()) == sorted(written)


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_other_systems_are_told_to_use_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    with pytest.raises(desktop.DesktopEntryError, match="app bundle"):
        desktop.install(tmp_path)
    assert not any(tmp_path.iterdir())


def test_exec_quoting_follows_the_spec() -> None:
    assert desktop.exec_quote("/usr/bin/vessl-gui") == "/usr/bin/vessl-gui"
    assert desktop.exec_quote("/a b/c") == '"/a b/c"'
    assert desktop.exec_quote("100%") == "100%%"
    # Inside quotes: \" \` \$ \\ ; then the string escape doubles every backslash.
    assert desktop.exec_quote('a"b') == '"a\\\\"b"'
    assert desktop.exec_quote("$x") == '"\\\\$x"'
    assert desktop.exec_quote("") == '""'
    with pytest.raises(desktop.DesktopEntryError):
        desktop.exec_quote("line\nbreak")


def test_launch_command_prefers_the_venv_script() -> None:
    command = desktop.launch_command()
    assert Path(command[0]).is_absolute()
    script = Path(sys.executable).absolute().parent / "vessl-gui"
    if script.is_file():
        assert command == [str(script)]


def test_help_and_exclusive_options(tmp_path: Path) -> None:
    helped = cli("--help", data_home=tmp_path)
    assert "--install-desktop-entry" in helped.stdout
    assert "--uninstall-desktop-entry" in helped.stdout
    both = cli("--install-desktop-entry", "--uninstall-desktop-entry", data_home=tmp_path)
    assert both.returncode == 2
    assert "not allowed with" in both.stderr
    assert not any(tmp_path.iterdir())


def test_desktop_file_validate_is_available_on_ci() -> None:
    """Guards against the validation tests silently skipping on CI."""
    require_tool("desktop-file-validate", "desktop-file-utils")
    require_tool("appstreamcli", "appstream")
