"""Files the app writes and keeps: atomic writes, damaged files moved aside, UTF-8 reads.

Every store that owns a file (the history database, ``services.json``, drafts,
the saved-token index) goes through these, so a crash never leaves half a file
and a damaged file is renamed ``<name>.corrupt-<time>``, never deleted.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Sequence
from pathlib import Path

from vessl_gui.core.errors import StorageError


def atomic_write(path: Path, text: str, what: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and ``os.replace`` (fsynced).

    :class:`StorageError` names ``what`` and the path when it fails; the old file
    is then unchanged.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StorageError(f"Could not save {what} to {path}: {e.strerror or e}.") from e


def move_aside(path: Path, what: str, companions: Sequence[str] = ()) -> Path | None:
    """Rename a damaged ``path`` to ``<name>.corrupt-<time>`` (``-2``, ``-3`` … if taken).

    ``companions`` are suffixes of files that belong to it (SQLite's ``-wal``,
    ``-shm``, ``-journal``) and move with it.  Returns the new name of ``path``
    (None when it did not exist); :class:`StorageError` names ``what`` on failure.
    """
    suffixes = ("", *companions)
    stamp, n = time.strftime("%Y%m%d-%H%M%S"), 1
    dest = path.with_name(f"{path.name}.corrupt-{stamp}")
    while any(Path(f"{dest}{s}").exists() for s in suffixes):
        n += 1
        dest = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        for suffix in suffixes:
            if Path(f"{path}{suffix}").exists():
                os.rename(f"{path}{suffix}", f"{dest}{suffix}")
    except OSError as e:
        raise StorageError(
            f"The damaged {what} {path} could not be moved aside: {e.strerror or e}."
        ) from e
    return dest if dest.exists() else None
