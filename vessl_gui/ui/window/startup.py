"""What starts after the window's first frame: worker threads, polling, file checks.

A zero timer set before ``exec()`` runs before the first paint (tests/benchmarks
B1), so the threads, httpx and the keyring would delay the window:
:func:`after_first_paint` calls back on the event loop's next turn after the
window first paints.  :class:`Startup` then starts the send and poll workers,
applies the user's settings (polling, retention), resumes polling the requests
the last run left unfinished (opening the keyring on a thread if their tokens
are needed) and checks the whole history file on a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

from vessl_gui.core import errors
from vessl_gui.core.history import is_memory_path
from vessl_gui.core.settings import AppSettings
from vessl_gui.ui.ports import StatusLine
from vessl_gui.ui.window.context import AppContext
from vessl_gui.ui.window.tokens import TokenController

if TYPE_CHECKING:
    from vessl_gui.ui.history.check import HistoryFileCheck
    from vessl_gui.ui.workers import WorkerThreads


class Startup(QObject):
    """Owns the worker threads (no signals).

    ``wire(workers)`` connects their reports; ``started()`` runs once they run;
    ``settings()`` is the user's settings; ``pruned()`` follows a retention prune.
    """

    def __init__(
        self,
        ctx: AppContext,
        tokens: TokenController,
        status: StatusLine,
        *,
        settings: Callable[[], AppSettings],
        wire: Callable[[WorkerThreads], None],
        started: Callable[[], None],
        pruned: Callable[[], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tokens = tokens
        self.status = status
        self._settings = settings
        self._wire = wire
        self._started = started
        self._pruned = pruned
        self.threads: WorkerThreads | None = None
        self.history_check: HistoryFileCheck | None = None
        self.closing = False

    def workers(self) -> WorkerThreads:
        """The worker threads, started now if they are not yet."""
        if self.threads is None:
            self.start()
        assert self.threads is not None
        return self.threads

    def start(self) -> None:
        """Start the worker threads, resume polling (after the first paint). Idempotent."""
        if self.threads is not None or self.closing:
            return
        from vessl_gui.ui.workers import ClientFactory, WorkerThreads, make_client

        factory: ClientFactory = make_client
        if self.ctx.client_factory is not None:
            injected = self.ctx.client_factory
            factory = lambda config: injected()  # noqa: E731 - tests inject one client kind
        self.threads = WorkerThreads(
            self.ctx.store, factory, send_workers=self.ctx.send_workers, parent=self
        )
        self.tokens.workers = self.threads
        self._wire(self.threads)
        self.threads.start()
        self.apply_settings(initial=True)
        # The keyring is checked when a token is first needed: loading its backends
        # costs ~20 MB and a D-Bus round trip.
        if self.ctx.demo is not None:
            self.tokens.session.set(self.ctx.demo.base_url, self.ctx.demo.token)
            self.threads.set_token(self.ctx.demo.base_url, self.ctx.demo.token)
        self._started()
        self.resume_polling()
        self._check_history_file()

    def apply_settings(self, *, initial: bool) -> None:
        s = self._settings()
        if self.threads is not None:
            self.threads.set_config("", s.client_config())
            defaults = AppSettings()
            if not initial or (s.poll_first, s.poll_max) != (
                defaults.poll_first,
                defaults.poll_max,
            ):
                self.threads.set_intervals(s.poll_first, s.poll_max)
        if s.retention_days or s.retention_rows:
            try:
                pruned = self.ctx.store.prune(s.retention_days, s.retention_rows)
            except errors.StorageError as exc:
                self.status.say(f"History retention failed: {exc.message}")
                return
            if pruned:
                self._pruned()
                self.status.say(f"History retention: removed {pruned} old row(s).", 10000)

    def resume_polling(self) -> None:
        """Follow the requests the last run left unfinished."""
        assert self.threads is not None
        unfinished = self.ctx.store.unfinished()
        urls = {s.base_url for s in unfinished}
        if any(self.tokens.session.get(u) is None for u in urls) and not self.tokens.ready(
            "resume", self.resume_polling
        ):
            return
        for base_url in sorted(urls):
            token = self.tokens.lookup(base_url)
            if token:
                self.threads.set_token(base_url, token)
        for s in unfinished:
            if s.request_id:
                self.threads.track(s.row_id, s.base_url, s.request_id)
        if unfinished:
            self.status.say(
                f"Checking the status of {len(unfinished)} unfinished request(s)…", 5000
            )

    def _check_history_file(self) -> None:
        """Check the whole history file on a thread (at start only its table was)."""
        path = self.ctx.store.path
        if is_memory_path(path):
            return
        from vessl_gui.ui.history.check import HistoryFileCheck

        self.history_check = HistoryFileCheck(self)
        self.history_check.damaged.connect(self._on_history_damaged)
        self.history_check.start(path)

    @Slot(list)
    def _on_history_damaged(self, problems: list[str]) -> None:
        from vessl_gui.core.history import mark_damaged

        found = problems[0] if problems else "unknown problem"
        try:
            mark_damaged(self.ctx.store.path, problems)
        except errors.StorageError as exc:
            self.status.say(f"The history file is damaged ({found}). {exc.message}")
            return
        self.status.say(
            f"The history file is damaged ({found}). vessl-gui keeps using it for now; at "
            "the next start it is moved aside (kept, not deleted) and a new history begins."
        )

    def stop(self, timeout_ms: int) -> bool:
        """Stop the workers (bounded); True when every thread ended."""
        self.closing = True
        if self.threads is None:
            return True
        return self.threads.stop(timeout_ms)


class _AfterFirstPaint(QObject):
    """Calls ``callback`` on the event loop's next turn after ``window`` first paints."""

    def __init__(self, window: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._callback = callback
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


def after_first_paint(
    window: QWidget, callback: Callable[[], None], fallback_ms: int = 1000
) -> None:
    """Call ``callback`` once: on the event loop's next turn after ``window`` first
    paints, or after ``fallback_ms`` if it has not painted by then."""
    done: list[bool] = []

    def once() -> None:
        if not done:
            done.append(True)
            callback()

    _AfterFirstPaint(window, once)
    QTimer.singleShot(fallback_ms, window, once)
