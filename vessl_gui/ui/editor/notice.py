"""The notice line under the text: loading progress, a file being checked, formatting
under way, a line shown shortened (with "Show in full" / "Clear" links), highlighting
switched off."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from vessl_gui.core.text import human_size
from vessl_gui.ui.editor.highlighter import HIGHLIGHT_LIMIT


def notice_lines(
    *,
    loading: tuple[int, int] | None,
    checking: str | None,
    reformatting: str | None,
    long_lines: dict[int, int],
    link: str,
    highlighting: bool,
) -> list[tuple[str, str]]:
    """The notice's lines, each as (rich text, plain text).

    ``loading``: (percent done, size of the full text) while a text loads in slices;
    ``checking``: the name of a file being checked; ``reformatting``: "format" or
    "minify" under way; ``long_lines``: {line number: length} of the lines shown
    shortened; ``link``: the links' colour name; ``highlighting``: it is on.
    """
    lines: list[tuple[str, str]] = []
    if loading is not None:
        done, size = loading
        msg = f"Loading {human_size(size)}… {done} %"
        lines.append((msg, msg))
    if checking is not None:
        msg = f"Checking {checking}…"
        lines.append((msg, msg))
    if reformatting is not None:
        msg = "Formatting…" if reformatting == "format" else "Minifying…"
        lines.append((msg, msg))
    if long_lines:
        line, length = next(iter(long_lines.items()))
        more = len(long_lines) - 1
        others = f" (and {more} more such line{'s' * (more > 1)})" if more else ""
        msg = (
            f"Line {line} has {length:,} characters{others}, too long to show: it is shown "
            "shortened and read-only. The full text is kept, checked, formatted and sent "
            "unchanged."
        )
        lines.append(
            (
                f'{msg} <a href="full" style="color: {link}">Show in full</a> '
                f'(may pause the window) · <a href="clear" style="color: {link}">Clear</a>',
                msg + " Show in full (may pause the window) · Clear",
            )
        )
    if not highlighting:
        msg = (
            f"Syntax highlighting is off for text over {human_size(HIGHLIGHT_LIMIT)}"
            " (keeps typing fast)."
        )
        lines.append((msg, msg))
    return lines


class Notice:
    """The notice label (``objectName`` ``dataEditorNotice``, hidden when there is
    nothing to say) and its text as plain text."""

    def __init__(self, parent: QWidget, on_link: Callable[[str], None]) -> None:
        self.text = ""
        self.label = label = QLabel(parent)
        label.setObjectName("dataEditorNotice")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setContentsMargins(6, 2, 6, 2)
        label.setAutoFillBackground(True)
        label.setFont(QApplication.font())
        label.linkActivated.connect(on_link)
        label.hide()

    def set_colors(self, background: QColor, text: QColor) -> None:
        notice_pal = self.label.palette()
        notice_pal.setColor(QPalette.ColorRole.Window, background)
        notice_pal.setColor(QPalette.ColorRole.WindowText, text)
        self.label.setPalette(notice_pal)

    def show(self, lines: list[tuple[str, str]]) -> bool:
        """Show ``lines`` (from :func:`notice_lines`); True when the plain text changed."""
        self.label.setText("<br>".join(rich for rich, _ in lines))
        self.label.setVisible(bool(lines))
        text = " ".join(plain for _, plain in lines)
        changed = text != self.text
        self.text = text
        return changed


__all__ = ["Notice", "notice_lines"]
