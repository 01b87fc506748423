"""Outputs read off the GUI thread: a large one, and a newer row that wins over a slow
one."""

from __future__ import annotations

import base64

from pytestqt.qtbot import QtBot

from tests.ui.output.conftest import entry, show
from vessl_gui.emulator.model import noise_picture
from vessl_gui.ui.output.view import SYNC_LIMIT, OutputView


def test_a_large_raw_output_that_is_a_picture(qtbot: QtBot, view: OutputView) -> None:
    """Not JSON, larger than what is read on the GUI thread: bare base64 of a PNG."""
    png = noise_picture(300, 300, 5)
    e = entry("/", None, output_json=None, raw_output=base64.b64encode(png).decode() + "\n")
    assert len(e.raw_output or "") > SYNC_LIMIT
    show(qtbot, view, e)
    assert [i.path for i in view.images()] == ["raw_output"]
    tile = view.tiles()[0]
    assert tile.decoded is not None and tile.decoded.image.size().toTuple() == (300, 300)
    assert view.texts() == ()


def test_a_newer_entry_wins_over_a_slow_one(qtbot: QtBot, view: OutputView) -> None:
    big = entry("/image/1500x1500/noise")
    small = entry("/llm", {"prompt": "second"})
    view.show_entry(big)
    view.show_entry(small)
    qtbot.waitUntil(lambda: not view.is_loading())
    assert view.loader.wait(20000)
    qtbot.wait(100)  # let any late result arrive: it must be ignored
    assert view.entry() is small
    assert view.tiles() == [] and view.images() == ()
    assert "second" in view.preview.generated.toPlainText()
