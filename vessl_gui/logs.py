"""Logging: a small rotating log file in the data dir (no Qt).

Nothing here logs the token (the client and the stores never put it in a message).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger("vessl_gui")


class RotatingLog(logging.FileHandler):
    """Appends to a log file; when it would pass ``max_bytes`` it becomes ``<name>.1``
    (``.1`` becomes ``.2``, … up to ``backups``) and a new file is started.

    ``logging.handlers.RotatingFileHandler``'s rule, without importing
    ``logging.handlers`` (socket, pickle, queue: ~10 ms before the first frame).
    """

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, mode="a", encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(self.format(record) + self.terminator):
                self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, text: str) -> bool:
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, os.SEEK_END)  # another process may have written
        return self.stream.tell() > 0 and self.stream.tell() + len(text) >= self.max_bytes

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for n in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{n}"):
                os.replace(f"{base}.{n}", f"{base}.{n + 1}")
        if self.backups > 0:
            os.replace(base, f"{base}.1")
        else:
            os.truncate(base, 0)
        self.stream = self._open()


def setup_logging(data_dir: Path) -> None:
    """Log to ``<data dir>/logs/vessl-gui.log`` (rotated). Nothing logs the token."""
    root = logging.getLogger("vessl_gui")
    if any(getattr(h, "_vessl", False) for h in root.handlers):
        return
    level = logging.DEBUG if os.environ.get("VESSL_GUI_DEBUG") else logging.INFO
    root.setLevel(level)
    try:
        logs = data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingLog(
            logs / "vessl-gui.log", max_bytes=1_000_000, backups=3
        )
    except OSError:
        handler = logging.StreamHandler()
    handler._vessl = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
