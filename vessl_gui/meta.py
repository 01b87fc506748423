"""The app's identity: names, ids, links and licence. Imports nothing.

Read by the command line, the About box, the desktop entry and the bundle spec,
so each says the same thing.
"""

from __future__ import annotations

from typing import Final

APP_NAME: Final = "vessl-gui"
"""The program's name: the data dir, QSettings' application name, the log file."""
ORG_NAME: Final = "vessl-gui"
"""QSettings' organisation name."""
DISPLAY_NAME: Final = "vessl-gui"
APP_ID: Final = "ai.vessl.gui"
"""Reverse-DNS id: the .desktop and metainfo file names, macOS bundle id, Wayland app id."""
ICON_NAME: Final = "vessl-gui"
HOMEPAGE_URL: Final = "https://vessl.ai"
DOCS_URL: Final = "https://docs.vessl.ai"
LICENSE: Final = "MIT"
