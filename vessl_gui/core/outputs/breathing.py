"""Long work in short steps, so another Python thread (the GUI's) keeps running.

Parsing, searching and decoding a large output (a 20 MB base64 image) call
:func:`breathe` between short C calls, and look for characters with
:func:`find_char`, which scans a long text in windows.
"""

from __future__ import annotations

import time
from typing import Final

#: Long texts are scanned in windows of this many characters, other threads running between.
WINDOW: Final = 1 << 20


def breathe() -> None:
    """Let other Python threads run now (long work calls this between short steps).

    A thread that needs the interpreter lock (the GUI's, for every call into
    Python) otherwise waits a whole switch interval each time, or until a
    long C call ends: a worker that parses for 100 ms would make a repaint
    that calls Python ten times take 100 ms.
    """
    time.sleep(0)


def find_char(text: str, char: str, start: int, stop: int | None = None) -> int:
    """``text.find(char, start, stop)`` for one character, in windows, breathing between."""
    stop = len(text) if stop is None else stop
    i = start
    while i < stop:
        found = text.find(char, i, min(stop, i + WINDOW))
        if found >= 0:
            return found
        i += WINDOW
        breathe()
    return -1
