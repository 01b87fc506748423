"""What came back, made readable: images, generated text, JSON paths, saving.

Pure Python (no Qt), so every rule here is tested without a window.  The whole
package is imported only when the details pane is built (after the first frame:
tests/ui/test_startup_laziness.py), so this module re-exports all of it.

* :mod:`.parsing`: :func:`parse_json` parses an output without holding the
  interpreter lock for long (strings of 64 KiB and more are cut out first).
* :mod:`.breathing`: :func:`breathe`, the short steps that parsing, searching
  and decoding take so the window's thread keeps running.
* :mod:`.images`: base64 images (data URLs and bare base64 of a PNG, JPEG, WebP
  or GIF) sniffed, found in a string and decoded.
* :mod:`.finding`: :func:`find_outputs` walks a parsed output once for its
  images and generated texts, with their JSON paths.
* :mod:`.paths`: :func:`format_path` / :func:`parse_path` write and read JSON
  paths such as ``choices[0].text`` and ``["a b"][2]``.
* :mod:`.display`: :func:`display_json` pretty-prints an output for reading,
  long strings and arrays shortened; :func:`pretty_json` for copying.
* :mod:`.analysis`: :func:`analyze`, everything the details pane shows.
* :mod:`.saving`: :func:`save_output_json`, :func:`save_raw_output`,
  :func:`save_images` write files atomically, never overwriting an image.

How long a request waited and ran is :mod:`vessl_gui.core.timings` (the history
table needs it at start-up, so it is kept out of this package).
"""

from __future__ import annotations

from vessl_gui.core.outputs.analysis import Analysis, analyze
from vessl_gui.core.outputs.breathing import breathe
from vessl_gui.core.outputs.display import (
    DISPLAY_ITEMS,
    DISPLAY_LIMIT,
    DISPLAY_STRING,
    Display,
    display_json,
    pretty_json,
    shorten,
)
from vessl_gui.core.outputs.finding import (
    CONTENT_PARENTS,
    TEXT_KEYS,
    Found,
    GeneratedText,
    find_outputs,
)
from vessl_gui.core.outputs.images import (
    EXTENSIONS,
    MIME_TYPES,
    MIN_BASE64,
    FoundImage,
    ImageFormat,
    decode_base64,
    image_in_string,
    sniff_image,
)
from vessl_gui.core.outputs.parsing import LONG_STRING, SHALLOW_ABOVE, SHALLOW_DEPTH, parse_json
from vessl_gui.core.outputs.paths import PathPart, format_path, parse_path, value_at
from vessl_gui.core.outputs.saving import (
    free_name,
    image_file_name,
    safe_stem,
    save_images,
    save_output_json,
    save_raw_output,
    write_file,
)
from vessl_gui.core.text import human_size

__all__ = [
    "CONTENT_PARENTS",
    "DISPLAY_ITEMS",
    "DISPLAY_LIMIT",
    "DISPLAY_STRING",
    "EXTENSIONS",
    "LONG_STRING",
    "MIME_TYPES",
    "MIN_BASE64",
    "SHALLOW_ABOVE",
    "SHALLOW_DEPTH",
    "TEXT_KEYS",
    "Analysis",
    "Display",
    "Found",
    "FoundImage",
    "GeneratedText",
    "ImageFormat",
    "PathPart",
    "analyze",
    "breathe",
    "decode_base64",
    "display_json",
    "find_outputs",
    "format_path",
    "free_name",
    "human_size",
    "image_file_name",
    "image_in_string",
    "parse_json",
    "parse_path",
    "pretty_json",
    "safe_stem",
    "save_images",
    "save_output_json",
    "save_raw_output",
    "shorten",
    "sniff_image",
    "value_at",
    "write_file",
]
