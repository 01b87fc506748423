"""Take the README's screenshots of the output viewer against the built-in demo service.

One picture per kind of output: a diffusion-style image, an LLM completion, a big
JSON array in the tree, and a failed request.  Run under a real X server:

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python packaging/screenshots_outputs.py

(writes ``resources/screenshots/output-*.png``).  Built on the same steps as
``packaging/screenshots.py``: the real app with ``--demo`` in a temporary data dir.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

OUT = Path(__file__).resolve().parent.parent / "resources" / "screenshots"

#: (file name, path, data) of each request, in the order they are sent.
REQUESTS = [
    ("output-failed.png", "/status/503", '{\n    "prompt": "A lighthouse at dusk"\n}\n'),
    ("output-json-tree.png", "/big-array/100000", '{\n    "top_k": 100000\n}\n'),
    (
        "output-llm.png",
        "/v1/chat/completions",
        '{\n    "model": "demo-llm",\n    "messages": [\n'
        '        {"role": "user", "content": "What is an asynchronous request?"}\n'
        "    ]\n}\n",
    ),
    (
        "output-image.png",
        "/image/640x480",
        '{\n    "prompt": "A lighthouse at dusk",\n    "steps": 30,\n    "seed": 7\n}\n',
    ),
]


def main() -> int:
    app = QApplication(sys.argv[:1])
    from vessl_gui import app as appmod
    from vessl_gui.ui.window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    todo: list[Callable[[MainWindow], bool]] = []

    def window() -> MainWindow:
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def send_all(w: MainWindow) -> bool:
        w.resize(1400, 880)
        w.main_splitter.setSizes([330, 1070])
        w.right_splitter.setSizes([240, 640])
        c = w.composer
        for _name, path, data in REQUESTS:
            c.path_edit.setText(path)
            c.data_editor.setPlainText(data)
            w.send()
        return True

    def all_finished(w: MainWindow) -> bool:
        rows = [w.model.summary_at(r) for r in range(w.model.rowCount())]
        done = len(rows) == len(REQUESTS) and all(
            s is not None and s.state in ("completed", "failed") for s in rows
        )
        if done:  # short cells: room for the Waited, Ran and Total columns
            for col in (0, 2, 3, 5, 7, 8, 9):
                w.history_view.resizeColumnToContents(col)
        return done

    def row_of(w: MainWindow, path: str) -> int:
        for row in range(w.model.rowCount()):
            s = w.model.summary_at(row)
            if s is not None and s.path == path:
                return row
        raise LookupError(path)

    def select(path: str, then: Callable[[MainWindow], None] | None = None) -> None:
        def step(w: MainWindow) -> bool:
            w.history_view.selectRow(row_of(w, path))
            return True

        def ready(w: MainWindow) -> bool:
            view = w.output_view.content
            if view.is_loading():
                return False
            if then is not None:
                then(w)
            return True

        todo.append(step)
        todo.append(ready)

    def save(name: str) -> None:
        def step(w: MainWindow) -> bool:
            w.grab().save(str(OUT / name))
            print("wrote", OUT / name)
            return True

        todo.append(step)

    def open_tree(w: MainWindow) -> None:
        view = w.output_view.content
        tree = view.tree
        items = tree.tree_model.find(["items"])
        tree.expand(items)
        for i in (0, 1, 2):
            tree.expand(tree.tree_model.find(["items", i]))
        score = tree.tree_model.find(["items", 2, "score"])
        tree.setCurrentIndex(score)
        tree.setFocus()
        view.json_split.setSizes([520, 460])

    todo.append(send_all)
    todo.append(all_finished)
    for name, path, _data in REQUESTS:
        select(path, open_tree if name == "output-json-tree.png" else None)
        todo.append(lambda w: True)  # one more tick: let the pictures paint
        save(name)

    def tick() -> None:
        if not todo:
            timer.stop()
            window().close()
            return
        try:
            if todo[0](window()):
                todo.pop(0)
        except StopIteration:
            pass

    timer = QTimer()
    timer.timeout.connect(tick)
    QTimer.singleShot(800, lambda: timer.start(250))
    with tempfile.TemporaryDirectory() as tmp:
        code = appmod.main(["--demo", "--data-dir", tmp])
    del app
    print("screenshots written to", OUT)
    return code


if __name__ == "__main__":
    sys.exit(main())
