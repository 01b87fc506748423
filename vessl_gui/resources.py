"""Where the packaged resources are: icons, the .desktop file, the metainfo. No Qt.

In a wheel or bundle they sit next to the code as ``vessl_gui/resources/``
(``setup.py`` copies them there); in a checkout (editable install) they are the
top-level ``resources/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from vessl_gui.meta import ICON_NAME

HICOLOR_SIZES: Final = (16, 22, 24, 32, 48, 64, 128, 256, 512)
"""The sizes of the app icon shipped as PNGs (``icons/hicolor/<N>x<N>/apps``)."""


def resource_path(name: str) -> Path | None:
    """A file from the packaged resources, or from the checkout's ``resources/``."""
    here = Path(__file__).resolve().parent
    for base in (here / "resources", here.parent / "resources"):
        candidate = base / name
        if candidate.exists():
            return candidate
    return None


def icon_files() -> list[Path]:
    """The app icon at every size we ship (PNGs, smallest first, then the SVG)."""
    found = [resource_path(f"icons/hicolor/{n}x{n}/apps/{ICON_NAME}.png") for n in HICOLOR_SIZES]
    found.append(resource_path(f"icons/{ICON_NAME}.svg"))
    return [p for p in found if p is not None]
