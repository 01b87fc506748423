"""One walk over a parsed output for its images and its generated texts.

:func:`find_outputs` returns the images (see :mod:`vessl_gui.core.outputs.images`)
and the generated texts (``text``, ``generated_text``, ``choices[].text``,
``choices[].message.content``, …) with their JSON paths.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Final

from vessl_gui.core.outputs.breathing import breathe
from vessl_gui.core.outputs.images import FoundImage, image_in_string
from vessl_gui.core.outputs.paths import PathPart, format_path

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
