"""Fixtures and helpers for the JSON editor tests: the real widget (offscreen)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QTextCharFormat
from pytestqt.qtbot import QtBot

from vessl_gui.ui.editor import JsonEditor

DEADLINE_MS = 20_000


@pytest.fixture
def editor(qtbot: QtBot) -> Iterator[JsonEditor]:
    ed = JsonEditor()
    qtbot.addWidget(ed)
    ed.resize(640, 420)
    ed.show()
    qtbot.waitExposed(ed)
    yield ed


def settle(qtbot: QtBot, ed: JsonEditor, timeout: int = DEADLINE_MS) -> None:
    """Wait until loading, validation and formatting are all done."""
    qtbot.waitUntil(lambda: not ed.is_busy(), timeout=timeout)


def formats(ed: JsonEditor, block_number: int = 0) -> dict[str, QColor]:
    """The highlighter's colours on one block, keyed by the text they cover."""
    block = ed.document().findBlockByNumber(block_number)
    text = block.text()
    return {
        text[r.start : r.start + r.length]: r.format.foreground().color()
        for r in block.layout().formats()
    }


def selections_with(ed: JsonEditor, check: object) -> list[tuple[int, int]]:
    out = []
    for sel in ed.extraSelections():
        if check(sel.format):  # type: ignore[operator]
            out.append((sel.cursor.selectionStart(), sel.cursor.selectionEnd()))
    return out


def underlines(ed: JsonEditor) -> list[tuple[int, int]]:
    return selections_with(
        ed,
        lambda f: f.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline,
    )


class Heartbeat:
    """A 5 ms timer; the longest gap between its ticks is the longest event-loop stall."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def __enter__(self) -> Heartbeat:
        self.last = time.perf_counter()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()
        self._tick()


def big_payload(target: int = 5 * 1024 * 1024) -> str:
    rng = random.Random(4)
    items = []
    size = 0
    i = 0
    while size < target:
        item = {"id": i, "name": f"item {i}", "score": rng.random(), "tags": ["a", "b"], "ok": True}
        items.append(item)
        size += 140
        i += 1
    return json.dumps({"inputs": items, "n": 1.0, "big": 2**70}, indent=4)
