"""*Request ▸ Send a batch…*: choose a file, see what will be sent, choose the pace.

The file (JSON Lines, one ``data`` value a line, or a JSON array) is read on a
thread.  The preview says how many requests, shows the first few, and lists every
line that is not valid JSON (or uses an unknown variable) with its line number and
reason: those are never sent, and *Send* stays disabled until the user ticks "send
the others without them".  Concurrency (default 4) and a requests-per-second limit
(0: none) are chosen here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core import errors
from vessl_gui.core.batch import DEFAULT_CONCURRENCY, BatchFileError, BatchSource, load_batch
from vessl_gui.core.batch.prepare import PreparedBatch, prepare_batch
from vessl_gui.core.variables import Variable
from vessl_gui.ui.background import Done, Runner

#: Items shown in the preview.
FIRST_FEW = 5
#: Problems listed (all are counted).
LISTED = 500


class BatchDialog(QDialog):
    """The batch to send (``objectName`` ``batchDialog``); ``target`` is the line that
    says where it goes, ``variables`` the service's (values not needed)."""

    def __init__(
        self,
        target: str,
        path: str,
        variables: tuple[Variable, ...],
        ask_path: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("batchDialog")
        self.setWindowTitle("Send a batch")
        self.resize(640, 560)
        self._path = path
        self._variables = variables
        self._ask_path = ask_path
        self._runner = Runner("vessl-batch-read", self)
        self.source: BatchSource | None = None
        self.prepared: PreparedBatch | None = None
        layout = QVBoxLayout(self)
        to = QLabel(target)
        to.setWordWrap(True)
        layout.addWidget(to)
        self.choose = QPushButton("&Choose a file…")
        self.choose.setObjectName("batchChooseButton")
        self.choose.clicked.connect(self._choose)
        layout.addWidget(self.choose)
        self.summary = QLabel("JSON Lines (one data value a line) or a JSON array.")
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.first = QPlainTextEdit()
        self.first.setObjectName("batchFirstItems")
        self.first.setAccessibleName("The first requests of the batch")
        self.first.setReadOnly(True)
        layout.addWidget(self.first, 2)
        self.problems = QListWidget()
        self.problems.setObjectName("batchProblems")
        self.problems.setAccessibleName("Lines that will not be sent")
        layout.addWidget(self.problems, 1)
        self.skip_bad = QCheckBox("Send the valid requests without the lines listed above")
        self.skip_bad.setObjectName("batchSkipInvalid")
        self.skip_bad.hide()
        self.skip_bad.toggled.connect(self._update_send)
        layout.addWidget(self.skip_bad)
        form = QFormLayout()
        self.concurrency = QSpinBox()
        self.concurrency.setObjectName("batchConcurrency")
        self.concurrency.setRange(1, 32)
        self.concurrency.setValue(DEFAULT_CONCURRENCY)
        self.rate = QDoubleSpinBox()
        self.rate.setObjectName("batchRate")
        self.rate.setRange(0, 1000)
        self.rate.setDecimals(1)
        self.rate.setSpecialValueText("no limit")
        self.rate.setSuffix(" /s")
        form.addRow("&Requests at once", self.concurrency)
        form.addRow("Requests per &second", self.rate)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.send_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.send_button.setObjectName("batchSendButton")
        self.send_button.setText("&Send")
        self.send_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _choose(self) -> None:
        path = self._ask_path()
        if path:
            self.load(path)

    def load(self, file: str) -> None:
        """Read ``file`` on a thread; the preview fills in when it is read."""
        self.summary.setText(f"Reading {file}…")
        self.send_button.setEnabled(False)
        path, variables = self._path, self._variables

        def job() -> tuple[BatchSource, PreparedBatch]:
            source = load_batch(file)
            return source, prepare_batch(source, path, variables)

        self._runner.submit(job, self._loaded, latest=True)

    def _loaded(self, done: Done[tuple[BatchSource, PreparedBatch]]) -> None:
        self.first.clear()
        self.problems.clear()
        self.source = self.prepared = None
        if isinstance(done.error, BatchFileError):
            self.summary.setText(f"Not a batch: {done.error.fields[0].describe()}")
            for p in done.error.problems[:LISTED]:
                self.problems.addItem(p.describe())
        elif isinstance(done.error, errors.ValidationError):
            self.summary.setText(f"Cannot send: {done.error.fields[0].describe()}")
        elif done.error is not None:
            self.summary.setText(f"The file could not be read: {done.error}")
        else:
            got = done.unwrap()
            assert got is not None
            self.source, self.prepared = got
            self._show(self.source, self.prepared)
        self._update_send()

    def _show(self, source: BatchSource, prepared: PreparedBatch) -> None:
        n, bad = len(prepared.texts), len(prepared.problems)
        kind = "JSON Lines" if source.kind == "jsonl" else "a JSON array"
        text = f"{n} request(s) from {source.name} ({kind})"
        if bad:
            text += f"; {bad} line(s) will not be sent (below)"
        if prepared.secrets:
            text += "; secret variables: " + ", ".join(sorted(prepared.secrets))
        self.summary.setText(text + ".")
        shown = [
            f"line {line}: {t[:300]}"
            for line, t in zip(prepared.lines, prepared.texts, strict=True)
        ][:FIRST_FEW]
        if n > FIRST_FEW:
            shown.append(f"… and {n - FIRST_FEW} more")
        self.first.setPlainText("\n".join(shown))
        for p in prepared.problems[:LISTED]:
            self.problems.addItem(p.describe())
        if bad > LISTED:
            self.problems.addItem(f"… and {bad - LISTED} more")
        self.skip_bad.setVisible(bad > 0 and n > 0)
        self.skip_bad.setText(f"Send the {n} valid request(s) without the {bad} line(s) above")

    def _update_send(self, *_: object) -> None:
        p = self.prepared
        ok = p is not None and len(p.texts) > 0 and (not p.problems or self.skip_bad.isChecked())
        self.send_button.setEnabled(ok)

    def limits(self) -> tuple[int, float | None]:
        """(requests at once, requests a second or None)."""
        rate = self.rate.value()
        return self.concurrency.value(), (rate if rate > 0 else None)
