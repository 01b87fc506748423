"""Saving an output, its raw text and its images to files.

Files are written atomically (temporary file + rename), and an image that is
already there is never overwritten.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from vessl_gui.core.outputs.images import FoundImage


def write_file(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` atomically (a temporary file in the same folder, then rename)."""
    dest = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return dest


def save_output_json(path: str | os.PathLike[str], output_json: str) -> Path:
    """Save ``output`` as a ``.json`` file (UTF-8, as received, newline-terminated)."""
    return write_file(path, (output_json + "\n").encode("utf-8"))


def save_raw_output(path: str | os.PathLike[str], raw_output: str) -> Path:
    """Save ``raw_output`` exactly (UTF-8)."""
    return write_file(path, raw_output.encode("utf-8"))


def safe_stem(text: str) -> str:
    """A file-name part made of ``[A-Za-z0-9._-]`` only."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return stem[:80] or "output"


def free_name(folder: Path, stem: str, ext: str) -> Path:
    """``folder/stem.ext``, or ``stem-2.ext``, ``stem-3.ext`` … when taken."""
    candidate = folder / f"{stem}.{ext}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}.{ext}"
    return candidate


def image_file_name(image: FoundImage, stem: str, number: int) -> str:
    where = safe_stem(image.path) if image.path else "output"
    return f"{safe_stem(stem)}-{number}-{where}"


def save_images(
    folder: str | os.PathLike[str], images: Sequence[FoundImage], stem: str
) -> list[Path]:
    """Save every image into ``folder`` as ``<stem>-<n>-<path>.<ext>``; returns the files.

    Existing files are never overwritten.  Raises ``OSError`` (disk) or
    ``ValueError`` (an image that is not valid base64) naming the image.
    """
    where = Path(folder)
    where.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for n, image in enumerate(images, 1):
        try:
            data = image.decode()
        except ValueError as e:
            raise ValueError(f"Image {n} ({image.path or 'output'}): {e}") from e
        dest = free_name(where, image_file_name(image, stem, n), image.extension)
        written.append(write_file(dest, data))
    return written
