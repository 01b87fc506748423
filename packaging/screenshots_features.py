"""Screenshots of the features beyond one request: variables, preview, follow ids,
a batch, compare -- from the real window against the built-in demo service.

Run under a real X server: ``xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python
packaging/screenshots_features.py`` (writes ``resources/screenshots/*.png``).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx
from PySide6.QtCore import QItemSelectionModel, QTimer
from PySide6.QtWidgets import QApplication, QWidget

OUT = Path(__file__).resolve().parent.parent / "resources" / "screenshots"


def main() -> int:
    app = QApplication(sys.argv[:1])
    from vessl_gui import app as appmod
    from vessl_gui.core.variables import Variable
    from vessl_gui.ui.window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="vessl-shots-")
    batch_file = Path(tmp) / "prompts.jsonl"
    lines = [f'{{"prompt": "{{{{greeting}}}}, picture {i}", "steps": 20}}' for i in range(60)]
    lines.insert(7, '{"prompt": "a missing quote, "steps": 20}')
    batch_file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    sent: list[int] = []  # the two rows to compare

    def window() -> MainWindow:
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def save(widget: QWidget | None, name: str) -> None:
        if widget is not None:
            widget.grab().save(str(OUT / name))

    def service(w: MainWindow) -> None:
        w.resize(1280, 780)
        assert w.ctx.demo is not None
        s = w.services
        p = s.store.add_profile("demo", w.ctx.demo.base_url)
        s.store.set_variables(
            p.id,
            [
                Variable("greeting", "Hello"),
                Variable("model", "sd-xl"),
                Variable("api_key", "", True),
            ],
        )
        s.refresh_profiles(select=p.id)
        w.commit_base_url(w.ctx.demo.base_url)
        w.composer.path_edit.setText("/predictions/{{model}}")
        w.composer.data_editor.setPlainText(
            '{\n    "prompt": "{{greeting}}, a lighthouse at dusk",\n    "steps": 30\n}\n'
        )
        s.edit_variables()

    def shot_variables(w: MainWindow) -> None:
        save(w.services.variables.dialog, "variables.png")
        if w.services.variables.dialog is not None:
            w.services.variables.dialog.reject()
        w.preview()

    def shot_preview(w: MainWindow) -> None:
        from vessl_gui.ui.window.preview import PreviewDialog

        dialog = w.findChild(PreviewDialog, "previewDialog")
        save(dialog, "preview.png")
        if dialog is not None:
            dialog.close()
        w.composer.data_editor.setPlainText('{\n    "prompt": "{{greting}}, a lighthouse"\n}\n')

    def shot_unknown(w: MainWindow) -> None:
        save(w, "variables-unknown.png")
        w.composer.path_edit.setText("/echo")
        for text in (
            '{"prompt": "a red fox", "steps": 20, "seed": 7}',
            '{"prompt": "a red fox in snow", "steps": 30, "seed": 7, "hd": true}',
        ):
            w.composer.data_editor.setPlainText(text)
            w.send()
            top = w.model.summary_at(0)
            if top is not None:
                sent.append(top.row_id)
        assert w.ctx.demo is not None
        headers = {"Authorization": f"Bearer {w.ctx.demo.token}"}
        ids = [
            httpx.post(
                f"{w.ctx.demo.base_url}/async", json={"path": "/text", "data": {}}, headers=headers
            ).json()["id"]
            for _ in range(3)
        ]
        pasted = (
            f'$ curl … --json @-\n{{"id": "{ids[0]}"}}\n'
            f"2026-12-03 12:01 created {ids[1]} (status pending)\n"
            f"https://serve-api.vessl.ai/api/v1/services/demo/async/{ids[2]}/output\n"
        )
        w.follow.open_dialog(pasted)

    def shot_follow(w: MainWindow) -> None:
        save(w.follow.dialog, "follow.png")
        if w.follow.dialog is not None:
            w.follow.dialog.accept()
        dialog = w.batches.open_dialog()
        if dialog is not None:
            dialog.load(str(batch_file))

    def shot_batch(w: MainWindow) -> None:
        dialog = w.batches.dialog
        save(dialog, "batch-dialog.png")
        if dialog is not None:
            dialog.skip_bad.setChecked(True)
            dialog.rate.setValue(15)
            dialog.accept()

    def shot_progress(w: MainWindow) -> None:
        save(next(iter(w.batches.windows.values()), None), "batch-progress.png")

    def shot_compare(w: MainWindow) -> None:
        for bw in w.batches.windows.values():
            bw.close()
        rows = [r for r in (w.model.row_of(rid) for rid in sent) if r is not None]
        sm = w.history_view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        for n, row in enumerate(rows):
            sm.select(
                w.model.index(row, 0),
                (flags.ClearAndSelect if n == 0 else flags.Select) | flags.Rows,
            )
        w.compare.compare_selected()

    def save_compare(w: MainWindow) -> None:
        save(w.compare.window, "compare.png")
        save(w, "main-window-features.png")
        w.close()

    steps: list[tuple[int, Callable[[MainWindow], None]]] = [
        (800, service),
        (1200, shot_variables),
        (800, shot_preview),
        (900, shot_unknown),
        (2500, shot_follow),
        (1500, shot_batch),
        (1800, shot_progress),
        (4000, shot_compare),
        (2500, save_compare),
    ]
    delay = 0
    for wait, fn in steps:
        delay += wait
        QTimer.singleShot(delay, lambda fn=fn: fn(window()))
    code = appmod.main(["--demo", "--data-dir", tmp])
    del app
    print("screenshots written to", OUT)
    return code


if __name__ == "__main__":
    sys.exit(main())
