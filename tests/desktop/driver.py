"""Driving the real app with real keys, and watching only from outside.

What a check sees is what a user's tools see: the clipboard (``xclip``), the windows
and their titles (``xdotool``), the history file in the data dir (sqlite, read-only),
the data dir's other files, the process's exit code.  Every wait polls: ``xdotool``
returns when the keys are sent, not when the app has handled them.
"""

from __future__ import annotations

import contextlib
import time

import pytest

from tests.desktop.xdesk import App, DesktopError, Row, wait_until

#: Put on the clipboard before a copy: still there afterwards means nothing was copied.
SENTINEL = "<<nothing copied>>"
#: Set on a test that failed (by conftest's report hook).
FAILED = pytest.StashKey[bool]()


def failed(request: pytest.FixtureRequest) -> bool:
    """Whether the test of ``request`` has failed so far."""
    return request.node.stash.get(FAILED, False)


def close_dialogs(app: App) -> None:
    """Escape whatever window (dialog, menu) a test left over the main window."""
    for _ in range(4):
        others = {w for w in app.desk.app_windows() if w != app.wid}
        if not others:
            return
        app.desk.key("Escape")
        with contextlib.suppress(DesktopError):
            wait_until(
                lambda left=others: not left & set(app.desk.app_windows()),
                2,
                0.05,
                "a window to close",
            )


class Keyboard:
    """Keys for ``app`` and what they did."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.desk = app.desk

    def key(self, *keys: str) -> None:
        self.desk.key(*keys)

    def type(self, text: str) -> None:
        self.desk.type(text)

    # -- the clipboard --------------------------------------------------------------------

    def clip_after(self, *keys: str, timeout: float = 5.0) -> str:
        """Press ``keys``; the clipboard once they changed it (fails if they did not)."""
        self.desk.set_clip(SENTINEL)
        self.key(*keys)
        return wait_until(
            lambda: (text := self.desk.clip()) != SENTINEL and text,
            timeout,
            what=f"the clipboard to change after {' '.join(keys)}",
        )

    def copied_by(self, *keys: str, wait: float = 0.8) -> str:
        """Press ``keys``; the clipboard after them, or :data:`SENTINEL` if they copied
        nothing within ``wait`` s (a button, a password field)."""
        self.desk.set_clip(SENTINEL)
        self.key(*keys)
        end = time.monotonic() + wait
        while True:
            text = self.desk.clip()
            if text != SENTINEL or time.monotonic() > end:
                return text
            time.sleep(0.05)

    def focused_text(self, wait: float = 0.8) -> str:
        """The text of the focused field (Ctrl+A, Ctrl+C), or :data:`SENTINEL`."""
        return self.copied_by("ctrl+a", "ctrl+c", wait=wait)

    # -- the composer ----------------------------------------------------------------------

    def handshake(self, timeout: float = 30) -> str:
        """The base URL, once the window answers keys (it is mapped before Qt is ready
        for input): Ctrl+L, then copy, until the base URL comes back."""

        def answer() -> str:
            self.key("ctrl+l")
            text = self.focused_text(wait=0.4)
            return text if text.startswith("http") else ""

        return wait_until(answer, timeout, 0.2, "Ctrl+L and Ctrl+C to answer")

    def set_path(self, path: str) -> None:
        self.key("alt+p", "ctrl+a")
        self.type(path)

    def path(self) -> str:
        self.key("alt+p")
        return self.focused_text()

    def editor_text(self) -> str:
        self.key("alt+d")
        return self.focused_text()

    def set_editor(self, text: str) -> None:
        self.key("alt+d", "ctrl+a", "BackSpace")
        self.type(text)
        wait_until(lambda: self.editor_text() == text, 5, 0.1, f"the editor to hold {text!r}")

    # -- the history -----------------------------------------------------------------------

    def rows(self) -> list[Row]:
        return self.app.rows()

    def wait_row(self, path: str, after: int, timeout: float = 20) -> Row:
        """The first row after the first ``after`` rows with ``path``, completed."""
        found = wait_until(
            lambda: [
                r for r in self.rows()[after:] if r[3] == path and r[4] and r[1] == "completed"
            ],
            timeout,
            0.1,
            f"a completed row for {path}",
        )
        return found[0]

    def send(self, path: str, *keys: str) -> Row:
        """Type ``path``, press ``keys`` (Ctrl+Enter); the row that came of it."""
        self.set_path(path)
        before = len(self.rows())
        self.key(*(keys or ("ctrl+Return",)))
        return self.wait_row(path, before)

    def ensure_rows(self, n: int) -> list[Row]:
        """At least ``n`` completed rows in the history (sent if need be)."""
        while len([r for r in self.rows() if r[1] == "completed"]) < n:
            self.send(f"/predictions/row-{len(self.rows()) + 1}")
        return self.rows()

    # -- windows ------------------------------------------------------------------------------

    def wait_window(self, title: str, timeout: float = 10) -> str:
        """The id of the visible window whose title starts with ``title``."""
        return wait_until(
            lambda: (ids := self.desk.windows(f"^{title}")) and ids[0],
            timeout,
            0.05,
            f"a window titled {title!r}",
        )

    def wait_gone(self, title: str, timeout: float = 10) -> None:
        wait_until(lambda: not self.desk.windows(f"^{title}"), timeout, 0.05, f"{title!r} to close")

    def wait_focused(self, wid: str, timeout: float = 5) -> None:
        """Until window ``wid`` has the X input focus (the window manager gives it a new
        window a moment after it is mapped; keys before that go elsewhere)."""
        wait_until(
            lambda: self.desk.focused_window() == wid, timeout, 0.05, f"window {wid} focused"
        )

    def opens_and_closes(self, keys: str, title: str, close: str = "Escape") -> str:
        """``keys`` open a window titled ``title`` (its full title); ``close`` closes it."""
        self.key(keys)
        wid = self.wait_window(title)
        name = self.desk.window_name(wid)
        self.wait_focused(wid)
        self.key(close)
        self.wait_gone(title)
        return name


__all__ = ["FAILED", "SENTINEL", "DesktopError", "Keyboard", "close_dialogs", "failed"]
