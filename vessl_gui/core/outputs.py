"""What came back, made readable: images, generated text, JSON paths, timings, saving.

Pure Python (no Qt), so every rule here is tested without a window.

* :func:`parse_json` parses an output without holding the interpreter lock for
  long: strings of 64 KiB and more (base64 images) are cut out with
  ``str.find`` before ``json.loads`` sees the rest, so a 20 MB image answer
  parses in a few milliseconds of C calls instead of one 100 ms call that
  would freeze the window's thread.
* :func:`find_outputs` walks a parsed output once and returns the images
  (data URLs ``data:image/…;base64,…`` and bare base64 whose first bytes are a
  PNG, JPEG, WebP or GIF signature) and the generated texts (``text``,
  ``generated_text``, ``choices[].text``, ``choices[].message.content``, …)
  with their JSON paths.
* :func:`format_path` / :func:`parse_path` write and read JSON paths such as
  ``choices[0].text`` and ``["a b"][2]``.
* :func:`display_json` pretty-prints an output for reading, with long strings
  and long arrays shortened (copying and saving always use the whole output).
* :func:`observed_timings` turns the moments polling saw each status into
  waited / ran / total durations.
* :func:`save_output_json`, :func:`save_raw_output`, :func:`save_images`
  write files atomically (temporary file + rename), never overwriting an
  image that is already there.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import json
import json.scanner
import os
import re
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

# ------------------------------------------------------------------ JSON paths

PathPart = str | int

_IDENT: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def format_path(parts: Iterable[PathPart]) -> str:
    """``["choices", 0, "text"]`` -> ``choices[0].text``; odd keys as ``["a b"]``.

    The root (no parts) is the empty string.
    """
    out: list[str] = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENT.match(part):
            out.append(("." if out else "") + part)
        else:
            out.append("[" + json.dumps(part, ensure_ascii=False) + "]")
    return "".join(out)


_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACKET: Final = re.compile(r'\[(?:(\d+)|("(?:[^"\\]|\\.)*"))\]', re.DOTALL)


def parse_path(path: str) -> list[PathPart]:
    """The parts of a path written by :func:`format_path`; ``ValueError`` if malformed."""
    parts: list[PathPart] = []
    pos = 0
    while pos < len(path):
        if path[pos] == "[":
            m = _BRACKET.match(path, pos)
            if m is None:
                raise ValueError(f"not a JSON path: {path!r} (bad [...] at character {pos + 1})")
            parts.append(int(m[1]) if m[1] is not None else str(json.loads(m[2])))
        else:
            dot = 1 if pos else 0
            m = _NAME.match(path, pos + dot)
            if m is None or (dot and path[pos] != "."):
                raise ValueError(f"not a JSON path: {path!r} (at character {pos + 1})")
            parts.append(m[0])
        pos = m.end()
    return parts


def value_at(value: Any, parts: Sequence[PathPart]) -> Any:
    """The value at a path; ``KeyError``/``IndexError``/``TypeError`` when it is not there."""
    for part in parts:
        if isinstance(part, int) and not isinstance(value, list):
            raise TypeError(f"[{part}] needs an array, found {type(value).__name__}")
        if isinstance(part, str) and not isinstance(value, dict):
            raise TypeError(f"{part!r} needs an object, found {type(value).__name__}")
        value = value[part]
    return value


# ---------------------------------------------------------------- parsing

#: Strings at least this long are cut out before ``json.loads`` (see :func:`parse_json`).
LONG_STRING: Final = 1 << 16
#: Past this many strings the cutting loop gives up and ``json.loads`` does it all.
_MAX_SCANNED_STRINGS: Final = 20_000


#: Texts longer than this are parsed container by container (see :func:`parse_json`).
SHALLOW_ABOVE: Final = 1 << 20
#: How many levels of arrays/objects are walked in Python before C takes over.
SHALLOW_DEPTH: Final = 2


def parse_json(text: str, long_string: int = LONG_STRING) -> Any:
    """``json.loads(text)`` in short steps, so another thread (the GUI's) keeps running.

    One ``json.loads`` call holds the interpreter lock until it returns: ~100 ms
    for a 20 MB string, most of a second for a million small values.  Here long
    strings are cut out with ``str.find`` first, and the outer levels of big
    documents are walked in Python, one element at a time, with ``json``'s C
    scanner parsing each element.  Returns what ``json.loads`` returns and
    raises its ``ValueError`` for bad JSON.
    """
    if len(text) < 4 * long_string:
        return json.loads(text)
    try:
        cut = _cut_long_strings(text, long_string)
        skeleton, longs, mark = cut if cut is not None else (text, [], "")
        big = len(skeleton) > SHALLOW_ABOVE
        value = _parse_shallow(skeleton) if big else json.loads(skeleton)
        return _restore(value, longs, mark) if longs else value
    except (ValueError, StopIteration, IndexError):
        return json.loads(text)  # the exact error, or the odd case the fast path missed


_WS: Final = re.compile(r"[ \t\n\r]*")
_SCANNER: Final = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def _parse_shallow(text: str) -> Any:
    scan = _SCANNER

    def skip(i: int) -> int:
        return _WS.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, depth: int) -> tuple[Any, int]:
        i = skip(i)
        c = text[i]
        if depth and c == "[":
            items: list[Any] = []
            i = skip(i + 1)
            if text[i] == "]":
                return items, i + 1
            while depth == 1:  # the usual big array: each item in one C call
                if len(items) & 1023 == 0:
                    breathe()
                if text[i] in " \t\n\r":
                    i = skip(i)
                item, i = scan(text, i)
                items.append(item)
                if text[i] == ",":
                    i += 1
                    continue
                i = skip(i)
                if text[i] == "]":
                    return items, i + 1
                if text[i] != ",":
                    raise ValueError("expected , or ]")
                i += 1
            while True:
                item, i = value(i, depth - 1)
                items.append(item)
                i = skip(i)
                if text[i] == "]":
                    return items, i + 1
                if text[i] != ",":
                    raise ValueError("expected , or ]")
                i += 1
        if depth and c == "{":
            obj: dict[str, Any] = {}
            i = skip(i + 1)
            if text[i] == "}":
                return obj, i + 1
            while True:
                i = skip(i)
                if text[i] != '"':
                    raise ValueError("expected a key")
                key, i = _SCANNER(text, i)
                i = skip(i)
                if text[i] != ":":
                    raise ValueError("expected :")
                obj[key], i = value(i + 1, depth - 1)
                i = skip(i)
                if text[i] == "}":
                    return obj, i + 1
                if text[i] != ",":
                    raise ValueError("expected , or }")
                i += 1
        result: tuple[Any, int] = _SCANNER(text, i)
        return result

    parsed, end = value(0, SHALLOW_DEPTH)
    if skip(end) != len(text):
        raise ValueError("extra data")
    return parsed


#: Long texts are scanned in windows of this many characters, other threads running between.
_WINDOW: Final = 1 << 20


def breathe() -> None:
    """Let other Python threads run now (long work calls this between short steps).

    A thread that needs the interpreter lock (the GUI's, for every call into
    Python) otherwise waits a whole switch interval each time, or until a
    long C call ends: a worker that parses for 100 ms would make a repaint
    that calls Python ten times take 100 ms.
    """
    time.sleep(0)


def _find(text: str, char: str, start: int, stop: int | None = None) -> int:
    """``text.find(char, start, stop)`` for one character, in windows, breathing between."""
    stop = len(text) if stop is None else stop
    i = start
    while i < stop:
        found = text.find(char, i, min(stop, i + _WINDOW))
        if found >= 0:
            return found
        i += _WINDOW
        breathe()
    return -1


def _string_end(text: str, quote: int) -> int:
    """The index of the quote closing the JSON string that opens at ``quote``."""
    i = quote + 1
    while True:
        end = _find(text, '"', i)
        if end < 0:
            raise ValueError("unterminated string")
        b = end - 1
        while text[b] == "\\":
            b -= 1
        if (end - 1 - b) % 2 == 0:
            return end
        i = end + 1


def _cut_long_strings(text: str, long_string: int) -> tuple[str, list[str], str] | None:
    import uuid  # here: it imports platform

    mark = f"\x00vessl-long-{uuid.uuid4().hex}:"
    pieces: list[str] = []
    longs: list[str] = []
    pos = last = scanned = 0
    while True:
        quote = _find(text, '"', pos)
        if quote < 0:
            break
        end = _string_end(text, quote)
        if end - quote - 1 >= long_string:
            escaped = _find(text, "\\", quote + 1, end) >= 0
            longs.append(json.loads(text[quote : end + 1]) if escaped else text[quote + 1 : end])
            pieces.append(text[last:quote])
            pieces.append(f'"{mark}{len(longs) - 1}"')
            last = end + 1
        pos = end + 1
        scanned += 1
        if scanned > _MAX_SCANNED_STRINGS and not longs:
            return None  # many small strings: not worth it
        if scanned > 10 * _MAX_SCANNED_STRINGS:
            break  # the rest is left as it is
    if not longs:
        return None
    pieces.append(text[last:])
    return "".join(pieces), longs, mark


def _restore(value: Any, longs: list[str], mark: str) -> Any:
    def fix(s: str) -> str:
        return longs[int(s[len(mark) :])] if s.startswith(mark) else s

    if isinstance(value, str):
        return fix(value)
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for k in [k for k in node if k.startswith(mark)]:
                node[fix(k)] = node.pop(k)
            for k, v in node.items():
                if isinstance(v, str):
                    node[k] = fix(v)
                elif isinstance(v, dict | list):
                    stack.append(v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, str):
                    node[i] = fix(v)
                elif isinstance(v, dict | list):
                    stack.append(v)
    return value


# ------------------------------------------------------------------ images

ImageFormat = Literal["png", "jpeg", "webp", "gif"]
MIME_TYPES: Final[dict[str, str]] = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
}
EXTENSIONS: Final[dict[str, str]] = {"png": "png", "jpeg": "jpg", "webp": "webp", "gif": "gif"}

_B64_HEAD: Final = re.compile(r"[A-Za-z0-9+/_-]{16}")
_DATA_URL: Final = re.compile(
    r"data:(?P<mime>image/[A-Za-z0-9.+-]+)(?:;[^,;]*)*?;base64,", re.IGNORECASE
)
#: Bare base64 shorter than this is not looked at (the smallest real images are longer).
MIN_BASE64: Final = 32
#: Decode base64 in slices of this many characters (a multiple of 4): short C calls.
_DECODE_SLICE: Final = 1 << 18


def sniff_image(head: bytes) -> ImageFormat | None:
    """The format whose signature starts ``head`` (at least 12 bytes for WebP)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return None


def _decode_head(s: str, start: int) -> bytes:
    chunk = s[start : start + 16]
    if not _B64_HEAD.match(chunk):
        return b""
    try:
        return base64.b64decode(chunk.replace("-", "+").replace("_", "/"))
    except (binascii.Error, ValueError):
        return b""


@dataclass(frozen=True)
class FoundImage:
    """A base64 image found inside an output."""

    path: str
    """Where it is, e.g. ``images[0]`` (``""`` is the output itself)."""
    format: ImageFormat
    source: Literal["data URL", "base64"]
    text: str = field(repr=False, compare=False)
    """The JSON string holding it (not copied)."""
    start: int = 0
    """Where the base64 starts in :attr:`text` (after a data URL's comma)."""

    @property
    def mime(self) -> str:
        return MIME_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    @property
    def encoded_size(self) -> int:
        """Characters of base64."""
        return len(self.text) - self.start

    @property
    def approx_bytes(self) -> int:
        return self.encoded_size * 3 // 4

    def decode(self) -> bytes:
        """The image file's bytes (in short slices; ``ValueError`` if not base64)."""
        return decode_base64(self.text, self.start)


_URLSAFE: Final = bytes.maketrans(b"-_", b"+/")


def decode_base64(text: str, start: int = 0) -> bytes:
    """Decode standard or URL-safe base64 (whitespace allowed) from ``text[start:]``.

    Works in slices so no single C call is long; raises ``ValueError`` on bad input.
    """
    if any(_find(text, c, start) >= 0 for c in " \n\r\t"):
        text, start = "".join(text[start:].split()), 0  # MIME line breaks: rare
    urlsafe = _find(text, "-", start) >= 0 or _find(text, "_", start) >= 0
    stop = len(text)
    while stop > start and text[stop - 1] == "=":
        stop -= 1
    if (stop - start) % 4 == 1:
        raise ValueError("not base64: the length is impossible")
    parts: list[bytes] = []
    try:
        for i in range(start, stop, _DECODE_SLICE):
            piece = text[i : min(stop, i + _DECODE_SLICE)].encode("ascii")
            if urlsafe:
                piece = piece.translate(_URLSAFE)
            if i + _DECODE_SLICE >= stop:
                piece += b"=" * (-len(piece) % 4)
            parts.append(binascii.a2b_base64(piece))
            breathe()
    except (binascii.Error, ValueError) as e:  # UnicodeEncodeError is a ValueError
        raise ValueError(f"not base64: {e}") from e
    return b"".join(parts)


def image_in_string(s: str, path: str = "") -> FoundImage | None:
    """The image this string holds (a data URL or bare base64 of a known format), if any."""
    if len(s) < MIN_BASE64:
        return None
    if s[:5].lower() == "data:":
        m = _DATA_URL.match(s, 0, 300)
        if m is None:
            return None
        fmt = sniff_image(_decode_head(s, m.end()))
        if fmt is None:
            return None
        return FoundImage(path, fmt, "data URL", s, m.end())
    start = len(s) - len(s.lstrip())
    fmt = sniff_image(_decode_head(s, start))
    return FoundImage(path, fmt, "base64", s, start) if fmt is not None else None


# ----------------------------------------------------------- generated text

#: Keys whose string (or list of strings) value is generated text.
TEXT_KEYS: Final = frozenset(
    {"text", "generated_text", "completion", "output_text", "response", "answer"}
)
#: ``content`` is text inside these (``choices[].message.content``, streaming ``delta``).
CONTENT_PARENTS: Final = frozenset({"message", "delta"})


@dataclass(frozen=True)
class GeneratedText:
    path: str
    text: str


@dataclass(frozen=True)
class Found:
    """What :func:`find_outputs` found."""

    images: tuple[FoundImage, ...] = ()
    texts: tuple[GeneratedText, ...] = ()
    complete: bool = True
    """False when the walk stopped at ``max_values`` (a huge output)."""


def find_outputs(
    value: Any, *, max_values: int = 300_000, max_images: int = 100, max_texts: int = 50
) -> Found:
    """Walk ``value`` once, in document order, for images and generated texts.

    Stops after ``max_values`` strings, arrays and objects (``Found.complete`` is
    then False).
    """
    images: list[FoundImage] = []
    texts: list[GeneratedText] = []
    seen = 0
    # (value, path link, key it sits under, key of the object holding it); a path link
    # is (parent link, part), so no path is built unless something is found there.
    stack: list[tuple[Any, Any, PathPart | None, PathPart | None]] = [(value, None, None, None)]
    push = stack.append
    while stack:
        node, link, key, parent_key = stack.pop()
        seen += 1
        if seen & 4095 == 0:
            breathe()
        if seen > max_values:
            return Found(tuple(images), tuple(texts), complete=False)
        if isinstance(node, str):
            image = image_in_string(node)
            if image is not None:
                if len(images) < max_images:
                    images.append(dataclasses.replace(image, path=_path_of(link)))
            elif len(texts) < max_texts and _is_text(node, link, key, parent_key):
                texts.append(GeneratedText(_path_of(link), node))
            continue
        if isinstance(node, dict):
            for k, v in reversed(node.items()):
                if isinstance(v, str | dict | list):
                    push((v, (link, k), k, key))
        elif isinstance(node, list):
            # list items inherit the list's key: {"text": ["a", "b"]} holds two texts
            for i in range(min(len(node), max_values - seen + 1) - 1, -1, -1):
                v = node[i]
                if isinstance(v, str | dict | list):
                    push((v, (link, i), key, parent_key))
    return Found(tuple(images), tuple(texts))


def _path_of(link: Any) -> str:
    parts: list[PathPart] = []
    while link is not None:
        link, part = link
        parts.append(part)
    return format_path(reversed(parts))


def _is_text(s: str, link: Any, key: PathPart | None, parent_key: PathPart | None) -> bool:
    if not s.strip():
        return False
    if link is None:  # the whole output is one string
        return True
    if key in TEXT_KEYS:
        return True
    return key == "content" and parent_key in CONTENT_PARENTS


# ------------------------------------------------------------- pretty text

#: Strings longer than this are shortened in :func:`display_json`.
DISPLAY_STRING: Final = 2_000
#: Arrays and objects longer than this are shortened in :func:`display_json`.
DISPLAY_ITEMS: Final = 1_000
#: At most this many characters of pretty text are produced.
DISPLAY_LIMIT: Final = 200_000


@dataclass(frozen=True)
class Display:
    text: str
    shortened: bool
    """Something was left out (a long string, a long array, or the end)."""


def human_size(n: float) -> str:
    """``512 bytes``, ``11 KB``, ``15.1 MB``."""
    if n < 1000:
        return f"{n:.0f} bytes"
    if n < 1_000_000:
        return f"{n / 1000:.0f} KB"
    return f"{n / 1_000_000:.1f} MB"


def shorten(s: str, limit: int = DISPLAY_STRING) -> str:
    if len(s) <= limit:
        return s
    return f"{s[:200]}… ⟪{len(s) - 200:,} more characters⟫"


def display_json(
    value: Any,
    *,
    max_string: int = DISPLAY_STRING,
    max_items: int = DISPLAY_ITEMS,
    limit: int = DISPLAY_LIMIT,
) -> Display:
    """Indented JSON for reading; long strings, arrays and objects are shortened."""
    shortened = False

    def cut(node: Any, depth: int) -> Any:
        nonlocal shortened
        if isinstance(node, str):
            if len(node) > max_string:
                shortened = True
                return shorten(node, max_string)
            return node
        if depth > 200:  # deeper than json.dumps' own recursion allows comfortably
            shortened = True
            return "⟪nested too deeply to show⟫"
        if isinstance(node, list):
            out = [cut(v, depth + 1) for v in node[:max_items]]
            if len(node) > max_items:
                shortened = True
                out.append(f"⟪{len(node) - max_items:,} more items: see the tree⟫")
            return out
        if isinstance(node, dict):
            d: dict[str, Any] = {}
            for i, (k, v) in enumerate(node.items()):
                if i == max_items:
                    shortened = True
                    d["⟪…⟫"] = f"⟪{len(node) - max_items:,} more keys: see the tree⟫"
                    break
                d[shorten(k, max_string)] = cut(v, depth + 1)
            return d
        return node

    text = json.dumps(cut(value, 0), indent=2, ensure_ascii=False)
    if len(text) > limit:
        text = text[:limit] + f"\n⟪… {len(text) - limit:,} more characters⟫"
        shortened = True
    return Display(text, shortened)


def pretty_json(text: str, limit: int = 2_000_000) -> str:
    """Indent a JSON text (for copying); the text itself when it is not JSON or too big."""
    if len(text) > limit:
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return json.dumps(value, indent=2, ensure_ascii=False)


# ------------------------------------------------------------------ analysis


@dataclass(frozen=True)
class Analysis:
    """Everything the details pane shows about one output, computed off the GUI thread."""

    has_value: bool
    """``output`` was there and parsed (else only raw text)."""
    value: Any = None
    found: Found = field(default_factory=Found)
    display: Display = field(default_factory=lambda: Display("", False))
    error: str = ""
    """Why ``output`` could not be read (rare: it is re-encoded JSON)."""

    @property
    def images(self) -> tuple[FoundImage, ...]:
        return self.found.images

    @property
    def texts(self) -> tuple[GeneratedText, ...]:
        return self.found.texts


def analyze(output_json: str | None, raw_output: str | None, *, search: bool = True) -> Analysis:
    """Parse ``output`` (or look at a non-JSON ``raw_output``) for the details pane.

    ``search=False`` leaves :func:`find_outputs` for later (the caller runs it on
    ``value`` when it wants: a huge output shows its tree first).
    """
    if output_json is not None:
        try:
            value = parse_json(output_json)
        except ValueError as e:
            return Analysis(False, error=f"The output is not valid JSON: {e}")
        except RecursionError:
            return Analysis(False, error="The output is nested too deeply to read.")
        found = find_outputs(value) if search else Found()
        return Analysis(True, value, found, display_json(value))
    if raw_output:
        image = image_in_string(raw_output.strip(), "raw_output")
        if image is not None:
            return Analysis(False, found=Found(images=(image,)))
        if raw_output.strip():
            return Analysis(False, found=Found(texts=(GeneratedText("raw_output", raw_output),)))
    return Analysis(False)


# ------------------------------------------------------------------- saving


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
