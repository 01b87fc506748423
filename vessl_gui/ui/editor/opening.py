"""Opening a JSON file into the editor: the Open dialog (Ctrl+O), a file dropped on it,
and the check that it is JSON before the text is replaced (on a worker thread when it
is large).  The reading and decoding rules are :mod:`vessl_gui.core.json_files`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QPlainTextEdit

from vessl_gui.core.errors import FieldError
from vessl_gui.core.json_files import read_json_text
from vessl_gui.core.text import human_size
from vessl_gui.core.validation import check_json
from vessl_gui.ui.editor.checks import INLINE_LIMIT, Checks
from vessl_gui.ui.editor.loading import Loader

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from vessl_gui.ui.background import Done


def local_files(mime: QMimeData) -> list[str] | None:
    """Paths of the dropped URLs ("" for one not local); None when the drop is not URLs."""
    if not mime.hasUrls():
        return None
    return [u.toLocalFile() if u.isLocalFile() else "" for u in mime.urls()]


class Opener:
    """Opens files into the editor; :attr:`checking` names the file being checked.

    ``on_busy()`` is called when a check starts on a worker thread (the notice says so).
    """

    def __init__(
        self,
        edit: QPlainTextEdit,
        loader: Loader,
        checks: Checks,
        *,
        message: SignalInstance,
        on_busy: Callable[[], None],
    ) -> None:
        self._edit = edit
        self._loader = loader
        self._checks = checks
        self._message = message
        self._on_busy = on_busy
        self.checking: str | None = None
        self._open_dir = ""

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # here: its Python type costs start-up

        path, _filter = QFileDialog.getOpenFileName(
            self._edit, "Open JSON file", self._open_dir, "JSON files (*.json);;All files (*)"
        )
        if path:
            self.open(path)

    def open_dropped(self, files: list[str]) -> None:
        """Open the one local file dropped (see :func:`local_files`), or say why not."""
        if len(files) != 1:
            self._message.emit("Drop one file at a time; the editor was not changed")
        elif not files[0]:
            self._message.emit("Only local files can be dropped here; the editor was not changed")
        else:
            self.open(files[0])

    def open(self, path: str | Path) -> bool:
        """See :meth:`JsonEditor.open_file`."""
        p = Path(path)
        name = p.name or str(p)
        self._open_dir = str(p.parent)

        def refuse(why: str) -> bool:
            self._message.emit(f"Cannot open {name}: {why}. The editor was not changed.")
            return False

        read = read_json_text(p)
        if read.problem is not None:
            return refuse(read.problem)
        text = read.text
        opened = f"Opened {name} ({human_size(read.size)}); Ctrl+Z brings back the previous text"
        if len(text) > INLINE_LIMIT:
            # Check it on a worker thread; the text is replaced only if it is JSON.
            self.checking = name
            self._checks.run(
                "open",
                lambda: check_json(text),
                lambda answer: self._opened(answer, name, text, opened),
                latest=True,  # a newer open wins
            )
            self._on_busy()
            return True
        problem = check_json(text)
        if problem is not None:
            return refuse(f"it is not valid JSON ({problem.describe()})")
        self._loader.replace(text, undoable=True, message=opened)
        return True

    def _opened(self, answer: Done[FieldError | None], name: str, text: str, opened: str) -> None:
        self.checking = None
        if answer.error is not None:
            self._message.emit(f"Cannot open {name}: {answer.error}. The editor was not changed.")
        elif answer.value is not None:
            self._message.emit(
                f"Cannot open {name}: it is not valid JSON ({answer.value.describe()}). "
                "The editor was not changed."
            )
        else:
            self._loader.replace(text, undoable=True, message=opened)


__all__ = ["Opener", "local_files"]
