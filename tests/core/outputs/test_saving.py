"""Saving the output, the raw output and every image, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.outputs.samples import GIF_B64, PNG, PNG_B64
from vessl_gui.core import outputs as o


def test_saving_output_raw_and_every_image(tmp_path: Path) -> None:
    out = o.save_output_json(tmp_path / "out.json", '{"a": "ü"}')
    assert out.read_bytes() == '{"a": "ü"}\n'.encode()
    raw = o.save_raw_output(tmp_path / "raw.txt", "line 1\r\nline 2")
    assert raw.read_bytes() == b"line 1\r\nline 2"
    found = o.find_outputs({"image": "data:image/png;base64," + PNG_B64, "g": [GIF_B64]})
    folder = tmp_path / "new" / "images"
    written = o.save_images(folder, found.images, "abc/..123")
    assert [p.name for p in written] == ["abc-..123-1-image.png", "abc-..123-2-g-0.gif"]
    assert written[0].read_bytes() == PNG
    again = o.save_images(folder, found.images, "abc/..123")  # never overwrites
    assert [p.name for p in again] == ["abc-..123-1-image-2.png", "abc-..123-2-g-0-2.gif"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in written + again
    )  # no temporary files left behind


def test_a_broken_image_is_named_and_disk_errors_surface(tmp_path: Path) -> None:
    broken = o.FoundImage("images[3]", "png", "base64", "iVBORw0KGgo=" + "A", 0)
    with pytest.raises(ValueError, match=r"images\[3\]"):
        o.save_images(tmp_path, [broken], "x")
    with pytest.raises(OSError):
        o.save_output_json(tmp_path / "missing" / "out.json", "{}")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        o.save_images(blocker / "sub", [], "x")
    assert list(tmp_path.iterdir()) == [blocker]
