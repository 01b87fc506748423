"""The Analysis of one output: everything the details pane shows, computed off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vessl_gui.core.outputs.display import Display, display_json
from vessl_gui.core.outputs.finding import Found, GeneratedText, find_outputs
from vessl_gui.core.outputs.images import FoundImage, image_in_string
from vessl_gui.core.outputs.parsing import parse_json


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
