"""The .desktop file and the AppStream metainfo validate with the freedesktop tools."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.packaging.helpers import ROOT, read_entry, require_tool, validate_desktop
from vessl_gui import __version__, desktop, meta

LINUX = ROOT / "resources" / "linux"
DESKTOP = LINUX / desktop.DESKTOP_FILE
METAINFO = LINUX / desktop.METAINFO_FILE


def validate_metainfo(path: Path) -> None:
    tool = require_tool("appstreamcli", "appstream")
    out = subprocess.run(
        [tool, "validate", "--no-net", "--pedantic", "--explain", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Validation was successful" in out.stdout, out.stdout


def test_packaged_desktop_file_validates() -> None:
    validate_desktop(DESKTOP)


def test_installed_desktop_file_validates_even_with_an_awkward_path(tmp_path: Path) -> None:
    command = [str(tmp_path / "my apps" / 'vessl gui $HOME "100%" `x`' / "vessl-gui")]
    installed = tmp_path / desktop.DESKTOP_FILE
    template = DESKTOP.read_text(encoding="utf-8")
    installed.write_text(desktop.render_desktop_entry(template, command), encoding="utf-8")
    validate_desktop(installed)


def test_packaged_metainfo_validates() -> None:
    validate_metainfo(METAINFO)


def test_desktop_file_names_the_app() -> None:
    entry = read_entry(DESKTOP)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "vessl-gui"
    assert entry["Icon"] == meta.ICON_NAME
    assert entry["Terminal"] == "false"
    assert entry["Exec"] == "vessl-gui"


def test_metainfo_matches_the_app() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == meta.APP_ID
    assert root.findtext("project_license") == meta.LICENSE
    assert root.findtext("launchable[@type='desktop-id']") == desktop.DESKTOP_FILE
    assert root.findtext("icon") == meta.ICON_NAME
    assert root.findtext("url[@type='homepage']") == meta.HOMEPAGE_URL
    assert root.findtext("provides/binary") == "vessl-gui"
    # The release history must have the current version on top (bump it with __version__).
    releases = root.findall("releases/release")
    assert releases, "the metainfo has no <release>"
    assert releases[0].get("version") == __version__, (
        f'add <release version="{__version__}"> to {METAINFO.name}'
    )
