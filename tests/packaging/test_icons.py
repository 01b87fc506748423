"""The committed icons are the SVG rendered at every size, in containers Windows and macOS read."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import QApplication

from tests.packaging.helpers import ROOT, load_script
from vessl_gui import desktop

make_icons = load_script("make_icons")
HICOLOR_SIZES = make_icons.HICOLOR_SIZES
ICNS_TYPES = make_icons.ICNS_TYPES
ICO_SIZES = make_icons.ICO_SIZES
hicolor_png = make_icons.hicolor_png
render_png = make_icons.render_png


def _image(data: bytes) -> QImage:
    image = QImage()
    assert image.loadFromData(data, "PNG")
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def _max_channel_diff(a: QImage, b: QImage) -> int:
    assert a.size() == b.size()
    worst = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            worst = max(
                worst,
                abs(pa.red() - pb.red()),
                abs(pa.green() - pb.green()),
                abs(pa.blue() - pb.blue()),
                abs(pa.alpha() - pb.alpha()),
            )
    return worst


def test_sizes_match_between_the_generator_and_desktop_module() -> None:
    assert tuple(HICOLOR_SIZES) == desktop.HICOLOR_SIZES
    assert min(HICOLOR_SIZES) == 16 and max(HICOLOR_SIZES) == 512


@pytest.mark.parametrize("size", HICOLOR_SIZES)
def test_committed_png_is_the_svg_rendered_at_that_size(qapp: QApplication, size: int) -> None:
    committed = hicolor_png(ROOT, size)
    assert committed.is_file(), f"run python packaging/make_icons.py ({committed} missing)"
    image = _image(committed.read_bytes())
    assert (image.width(), image.height()) == (size, size)
    # Same picture as a fresh render of the SVG (a little slack for another Qt's antialiasing).
    fresh = _image(render_png(ROOT / "resources" / "icons" / "vessl-gui.svg", size))
    if size <= 64:
        assert _max_channel_diff(image, fresh) <= 16, "re-run python packaging/make_icons.py"
    # Transparent corners (rounded square), opaque centre.
    assert image.pixelColor(0, 0).alpha() == 0
    assert image.pixelColor(size // 2, size // 4).alpha() == 255


def test_ico_holds_every_windows_size_and_qt_reads_it(qapp: QApplication) -> None:
    data = (ROOT / "packaging" / "icons" / "vessl-gui.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(ICO_SIZES))
    sizes = []
    for i in range(count):
        w, _h, _, _, planes, bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert (planes, bpp) == (1, 32)
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
        sizes.append(w or 256)
        assert _image(data[offset : offset + length]).width() == (w or 256)
    assert sorted(sizes) == sorted(ICO_SIZES)
    # Qt's own ICO reader (the format Windows uses) sees every image.
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, QByteArray(b"ico"))
    assert reader.imageCount() == len(ICO_SIZES)


def test_icns_holds_every_macos_size(qapp: QApplication) -> None:
    data = (ROOT / "packaging" / "icons" / "vessl-gui.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    found: dict[str, int] = {}
    pos = 8
    while pos < len(data):
        ostype = data[pos : pos + 4].decode("ascii")
        length = struct.unpack_from(">I", data, pos + 4)[0]
        found[ostype] = _image(data[pos + 8 : pos + length]).width()
        pos += length
    assert pos == len(data)
    assert found == dict(ICNS_TYPES)
    # Qt's ICNS reader (what macOS tools also read) opens it and picks a real image.
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, QByteArray(b"icns"))
    assert reader.imageCount() >= 1
    assert not reader.read().isNull()


def test_generator_writes_the_whole_set(qapp: QApplication, tmp_path: Path) -> None:
    written = make_icons.generate(tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert "packaging/icons/vessl-gui.ico" in names
    assert "packaging/icons/vessl-gui.icns" in names
    for size in HICOLOR_SIZES:
        assert f"resources/icons/hicolor/{size}x{size}/apps/vessl-gui.png" in names


def test_window_icon_has_every_size(qapp: QApplication) -> None:
    """get_application() gives the app (window, task bar, About) the icon at each size."""
    from vessl_gui.ui.bootstrap import get_application

    app = get_application([])
    icon = app.windowIcon()
    assert not icon.isNull()
    sizes = {s.width() for s in icon.availableSizes()}
    assert set(HICOLOR_SIZES) <= sizes
    assert app.desktopFileName() == desktop.APP_ID
