"""Batches in the window: the dialog, the run, its window, export, and what a restart finds.

:class:`BatchController` takes the composer's service, method and path (validated,
with its token), opens :class:`~vessl_gui.ui.batch.dialog.BatchDialog`, writes every
item to the history as ``queued`` (on a thread: 10 000 rows ~0.1 s) and runs a
:class:`~vessl_gui.ui.batch.run.BatchRun`.  At start it offers the rest of every batch
the last run left unfinished.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from vessl_gui.core import errors
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import BatchInfo, BatchMeta, ClientConfig, RequestDraft
from vessl_gui.core.validation import validate_draft
from vessl_gui.core.variables import Variable, references
from vessl_gui.ui.history.model import HistoryModel
from vessl_gui.ui.ports import StatusLine, Tokens, Variables

if TYPE_CHECKING:
    from vessl_gui.ui.background import Done, Runner
    from vessl_gui.ui.batch.dialog import BatchDialog
    from vessl_gui.ui.batch.progress import BatchWindow
    from vessl_gui.ui.batch.run import BatchRun
    from vessl_gui.ui.composer import Composer
    from vessl_gui.ui.workers import WorkerThreads


class BatchController(QObject):
    """Batches of the window (no signals).

    ``variables_of(url)`` are a service's variables as saved; ``variables`` reads their
    values; ``ask_open_path()`` / ``ask_save_path(suggested)`` are the file dialogs
    (replaced in tests).
    """

    def __init__(
        self,
        parent_widget: QWidget,
        store: HistoryStore,
        model: HistoryModel,
        composer: Composer,
        status: StatusLine,
        tokens: Tokens,
        variables: Variables,
        *,
        variables_of: Callable[[str], tuple[Variable, ...]],
        workers: Callable[[], WorkerThreads],
        client_config: Callable[[str], ClientConfig],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent_widget
        self.store = store
        self.model = model
        self.composer = composer
        self.status = status
        self.tokens = tokens
        self.variables = variables
        self._variables_of = variables_of
        self._workers = workers
        self._client_config = client_config
        self.runs: dict[str, BatchRun] = {}
        self.windows: dict[str, BatchWindow] = {}
        self.dialog: BatchDialog | None = None
        self._runner: Runner | None = None

    # -- dialogs (replaced in tests) ---------------------------------------------------

    def ask_open_path(self) -> str:
        from PySide6.QtWidgets import QFileDialog

        filters = "JSON Lines or JSON (*.jsonl *.ndjson *.json);;All files (*)"
        return QFileDialog.getOpenFileName(self.parent_widget, "Send a batch", "", filters)[0]

    def ask_save_path(self, suggested: str) -> tuple[str, str]:
        from PySide6.QtWidgets import QFileDialog

        filters = "JSON Lines (*.jsonl);;CSV (*.csv)"
        return QFileDialog.getSaveFileName(
            self.parent_widget, "Export the batch's results", suggested, filters
        )

    def owns(self, row_id: int) -> bool:
        """Whether a running batch is sending ``row_id`` (its reports are the batch's)."""
        return any(run.owns(row_id) for run in self.runs.values())

    # -- a new batch ---------------------------------------------------------------------

    def open_dialog(self) -> BatchDialog | None:
        """*Request ▸ Send a batch…*: with the composer's service, method and path."""
        if not self.tokens.ready("batch", self.open_dialog):
            return None
        self.tokens.fill_saved()
        d = self.composer.to_draft()
        try:
            valid = validate_draft(RequestDraft(d.base_url, d.method, d.path, "null", d.token))
        except errors.ValidationError as exc:
            self.composer.show_errors(exc)
            names = ", ".join(f.field.replace("_", " ") for f in exc.fields if f.field != "data")
            self.status.say(f"A batch is sent with the composer's service: fix {names} first.")
            return None
        from vessl_gui.ui.batch.dialog import BatchDialog

        r = valid.request
        target = f"Sent to {r.create_url} as {r.method} {r.path}, one request per item."
        variables = self._variables_of(r.base_url)
        dialog = BatchDialog(target, r.path, variables, self.ask_open_path, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self._accepted(dialog, r.base_url, r.method, r.path, valid.token)
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    def _accepted(self, dialog: BatchDialog, base: str, method: str, path: str, token: str) -> None:
        prepared, source = dialog.prepared, dialog.source
        if prepared is None or source is None:
            return
        concurrency, rate = dialog.limits()
        self.tokens.remember(base, token)
        meta = BatchMeta(source.name, base, method, path, "", concurrency, rate)
        texts, secrets = list(prepared.texts), sorted(prepared.secrets)
        self.status.say(f"Writing {len(texts)} request(s) of {source.name} to the history…")
        self._run().submit(
            lambda: self.store.create_batch(meta, texts, secret_vars=secrets),
            lambda done: self._created(done, token),
        )

    def _run(self) -> Runner:
        if self._runner is None:
            from vessl_gui.ui.background import Runner

            self._runner = Runner("vessl-batch", self)
        return self._runner

    def _created(self, done: Done[BatchInfo], token: str) -> None:
        if isinstance(done.error, errors.StorageError):
            self.status.say(f"The batch was not started: {done.error.message}")
            return
        info = done.unwrap()
        assert info is not None
        self.model.reload()
        self.start(info, token)

    def start(
        self, info: BatchInfo, token: str, *, sent: int = 0, failed: int = 0
    ) -> BatchRun | None:
        """Run ``info``'s queued rows (a new batch, or the rest of an interrupted one)."""
        # Imported when a batch first runs: not needed for the window's first frame.
        from vessl_gui.core.batch import BatchSchedule
        from vessl_gui.ui.batch.run import BatchRun

        queued = self.store.batch_counts(info.batch_id)["queued"]
        refs = self.variables
        try:
            # Plain variables are already in the rows; the secrets they keep as {{name}},
            # and what the path uses, are read now (only those: no needless keyring read).
            names = self.store.batch_secret_vars(info.batch_id)
            names |= {r.name for r in references(info.path, "")}
            values = refs.values_for(info.base_url, names) if names else ()
        except errors.CredentialError as exc:
            self.status.say(f"The batch was not started: {exc.message}")
            return None
        schedule = BatchSchedule(
            queued, time.monotonic(), concurrency=info.concurrency, rate=info.rate,
            sent=sent, failed=failed,
        )  # fmt: skip
        run = BatchRun(
            self.store, info, schedule, workers=self._workers, token=token,
            config=self._client_config(info.base_url), variables=values, parent=self,
        )  # fmt: skip
        self.runs[info.batch_id] = run
        window = self._window(info)
        run.progressed.connect(window.show_progress)
        run.message.connect(lambda text: self.status.say(text, 10000))
        run.ended.connect(lambda state: self._ended(info, state))
        window.pause_requested.connect(run.pause)
        window.resume_requested.connect(run.resume)
        window.stop_requested.connect(run.stop)
        run.start()
        self.status.say(f"Sending the batch {info.source}: {queued} request(s)…", 5000)
        return run

    def _window(self, info: BatchInfo) -> BatchWindow:
        from vessl_gui.ui.batch.progress import BatchWindow

        window = self.windows.get(info.batch_id)
        if window is None:
            window = BatchWindow(info, self.parent_widget)
            window.export_requested.connect(lambda: self.export(info))
            window.filter_toggled.connect(lambda on: self.show_only(info.batch_id if on else None))
            self.windows[info.batch_id] = window
        window.show()
        return window

    def _ended(self, info: BatchInfo, state: str) -> None:
        self.runs.pop(info.batch_id, None)
        counts = self.store.batch_counts(info.batch_id)
        sent = sum(counts[s] for s in ("pending", "in_progress", "completed", "failed"))
        if state == "done":
            self.status.say(f"Batch {info.source}: all {sent} sent.", 0)
        else:
            self.status.say(
                f"Batch {info.source} stopped: {counts['queued']} not sent (kept, "
                "offered again at the next start).",
                0,
            )

    # -- after a restart -------------------------------------------------------------------

    def offer_unfinished(self) -> None:
        """Each batch the last run left unfinished: what happened, and its rest to send."""
        for info in self.store.batches(unfinished_only=True):
            if info.batch_id in self.runs:
                continue
            counts = self.store.batch_counts(info.batch_id)
            if not counts["queued"] and not counts["sending"]:
                self.store.set_batch_state(info.batch_id, "done")
                continue
            if info.state == "stopped" and not counts["sending"]:
                continue  # stopped on purpose: its rest is in the history, queued
            window = self._window(info)
            window.show_interrupted(counts, info.total)
            window.send_rest_requested.connect(lambda info=info: self.send_rest(info))
            window.stop_requested.connect(
                lambda info=info: self.store.set_batch_state(info.batch_id, "stopped")
            )

    def send_rest(self, info: BatchInfo) -> None:
        if not self.tokens.ready("batch-rest", lambda: self.send_rest(info)):
            return
        token = self.tokens.lookup(info.base_url)
        if not token:
            self.status.say(f"No token for {info.base_url}: enter it in the composer first.")
            return
        counts = self.store.batch_counts(info.batch_id)
        done = sum(counts[s] for s in ("pending", "in_progress", "completed", "failed"))
        bad = counts["send_error"] + counts["unknown"] + counts["sending"]
        self.start(info, token, sent=done, failed=bad)

    # -- results -------------------------------------------------------------------------

    def export(self, info: BatchInfo) -> int | None:
        """Write the batch's id, status and output to JSON Lines or CSV."""
        from vessl_gui.core.history.export import RESULT_FIELDS, export_file, iter_batch

        stem = Path(info.source).stem or "batch"
        path, chosen = self.ask_save_path(f"{stem}-results.jsonl")
        if not path:
            return None
        rows = iter_batch(self.store, info.batch_id)
        try:
            written, n = export_file(Path(path), rows, chosen, fields=RESULT_FIELDS)
        except OSError as exc:
            self.status.say(f"Export failed: {exc.strerror or exc} ({path})")
            return None
        self.status.say(f"Exported the results of {n} request(s) to {written}.", 10000)
        return n

    def show_only(self, batch_id: str | None) -> None:
        """Filter the history to one batch (None: every row)."""
        from dataclasses import replace

        self.model.set_query(replace(self.model.query, batch_id=batch_id))

    def shutdown(self) -> None:
        for run in list(self.runs.values()):
            run.shutdown()
