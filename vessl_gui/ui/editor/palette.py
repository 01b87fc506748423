"""Colours that stay readable on light and dark themes: WCAG contrast maths, and the
editor's own colours (current line, brackets, error, gutter, notice) from a palette."""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QColor, QPalette

ERROR_RED: Final = "#d93025"


def luminance(c: QColor) -> float:
    """WCAG relative luminance of ``c`` (0 black to 1 white)."""

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved ``t`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )


def is_dark(base: QColor) -> bool:
    return luminance(base) < 0.2


def readable(hue: float, saturation: float, base: QColor, minimum: float = 4.5) -> QColor:
    """A colour of ``hue`` whose contrast against ``base`` is at least ``minimum``."""
    dark = is_dark(base)
    lightness = 0.72 if dark else 0.36
    step = 0.03 if dark else -0.03
    color = QColor.fromHslF(hue / 360.0, saturation, lightness)
    for _ in range(40):
        if contrast_ratio(color, base) >= minimum:
            break
        lightness = min(1.0, max(0.0, lightness + step))
        color = QColor.fromHslF(hue / 360.0, saturation, lightness)
    return color


def editor_colors(pal: QPalette) -> dict[str, QColor]:
    """The editor's colours for ``pal``: ``line`` (current line), ``bracket``,
    ``unmatched``, ``error`` (the underline), ``gutter``, ``gutter_text``,
    ``gutter_current``, ``notice`` (its background) and ``link`` (in the notice)."""
    base = pal.color(QPalette.ColorRole.Base)
    text = pal.color(QPalette.ColorRole.Text)
    highlight = pal.color(QPalette.ColorRole.Highlight)
    dark = is_dark(base)
    colors = {
        "line": mix(base, highlight, 0.16 if dark else 0.09),
        "bracket": mix(base, highlight, 0.40),
        "unmatched": mix(base, QColor(ERROR_RED), 0.45),
        "error": readable(5, 0.85, base, 3.0),
        "gutter": mix(base, pal.color(QPalette.ColorRole.Window), 0.6),
        "gutter_text": mix(text, base, 0.45),
        "gutter_current": text,
        "notice": mix(base, highlight, 0.18),
    }
    colors["link"] = readable(212, 0.8, colors["notice"])
    return colors


__all__ = [
    "ERROR_RED",
    "contrast_ratio",
    "editor_colors",
    "is_dark",
    "luminance",
    "mix",
    "readable",
]
