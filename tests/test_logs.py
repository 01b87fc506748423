"""The rotating log file (vessl_gui/logs.py)."""

from __future__ import annotations

import logging
from pathlib import Path

from vessl_gui.logs import RotatingLog


def test_rotating_log_keeps_three_old_files(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    handler = RotatingLog(path, max_bytes=200, backups=3)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("vessl_gui.test_rotating_log")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for n in range(40):
            logger.warning("record %02d %s", n, "x" * 30)
    finally:
        logger.removeHandler(handler)
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["app.log", "app.log.1", "app.log.2", "app.log.3"]
    for p in tmp_path.iterdir():
        assert 0 < p.stat().st_size < 200
    assert "record 39" in path.read_text()
    assert "record 00" not in "".join(p.read_text() for p in tmp_path.iterdir())
    newest_old = (tmp_path / "app.log.1").read_text().splitlines()[-1]
    oldest_new = path.read_text().splitlines()[0]
    assert int(newest_old.split()[1]) + 1 == int(oldest_new.split()[1])
