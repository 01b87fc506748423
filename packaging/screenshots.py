"""Take the README's screenshots of the real window against the built-in demo service.

Run under a real X server: ``xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python
packaging/screenshots.py`` (writes ``resources/screenshots/*.png``).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

OUT = Path(__file__).resolve().parent.parent / "resources" / "screenshots"


def main() -> int:
    app = QApplication(sys.argv[:1])
    from vessl_gui import app as appmod
    from vessl_gui.ui.window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    steps: list[tuple[int, Callable[[MainWindow], None]]] = []

    def window() -> MainWindow:
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def send_some(w: MainWindow) -> None:
        w.resize(1280, 780)
        c = w.composer
        c.path_edit.setText("/predictions/demo")
        w.send()
        c.path_edit.setText("/status/503")
        w.send()
        c.path_edit.setText("/sleep/600")
        w.send()
        c.path_edit.setText("/predictions/demo")
        c.data_editor.setPlainText('{\n    "prompt": "A lighthouse at dusk",\n    "steps": 30\n}\n')
        w.send()

    def shot_main(w: MainWindow) -> None:
        w.history_view.selectRow(0)

    def save_main(w: MainWindow) -> None:
        w.grab().save(str(OUT / "main-window.png"))

    def bad_json(w: MainWindow) -> None:
        failed_row(w)
        w.composer.data_editor.setPlainText('{\n    "prompt": "A lighthouse",\n    "steps": 30,\n}')
        w.send()

    def save_error(w: MainWindow) -> None:
        w.grab().save(str(OUT / "errors.png"))
        w.close()

    def failed_row(w: MainWindow) -> None:
        for row in range(w.model.rowCount()):
            s = w.model.summary_at(row)
            if s is not None and s.state == "failed":
                w.history_view.selectRow(row)

    steps = [
        (800, send_some),
        (3500, shot_main),
        (300, save_main),
        (100, bad_json),
        (300, save_error),
    ]
    delay = 0
    for wait, fn in steps:
        delay += wait
        QTimer.singleShot(delay, lambda fn=fn: fn(window()))
    with tempfile.TemporaryDirectory() as tmp:
        code = appmod.main(["--demo", "--data-dir", tmp])
    del app
    print("screenshots written to", OUT)
    return code


if __name__ == "__main__":
    sys.exit(main())
