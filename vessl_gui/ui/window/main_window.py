"""The main window: composer, history table and details pane, in splitters.

The window builds the panes and the controllers and wires them together; it
does no HTTP or SQL itself and holds no logic the controllers need back:

- :class:`~vessl_gui.ui.window.tokens.TokenController`: the token field, keyring;
- :class:`~vessl_gui.ui.window.sending.SendController`: Send;
- :class:`~vessl_gui.ui.window.selection.SelectionController`: the history's
  selection, the details pane, copy ids, refresh, reopen;
- :class:`~vessl_gui.ui.history.actions.HistoryActions`: delete, clear, export…;
- :class:`~vessl_gui.ui.services.controller.ServicesController`: services, saved
  requests, drafts, curl in/out;
- :class:`~vessl_gui.ui.window.startup.Startup`: the worker threads and what
  starts after the first paint.

Each controller is handed what it uses (widgets, core objects, the protocols of
:mod:`vessl_gui.ui.ports`), never the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, ClientConfig, HistoryEntry, RequestDraft
from vessl_gui.core.profiles import ProfileStore
from vessl_gui.core.settings import AppSettings
from vessl_gui.ui.composer import EXAMPLE_DATA, Composer
from vessl_gui.ui.history.actions import HistoryActions
from vessl_gui.ui.history.model import HistoryModel
from vessl_gui.ui.output.pane import OutputPane
from vessl_gui.ui.services.bar import ServiceBar
from vessl_gui.ui.services.controller import ServicesController
from vessl_gui.ui.window.context import AppContext, DemoService
from vessl_gui.ui.window.history_pane import HistoryPane
from vessl_gui.ui.window.menus import build_menus
from vessl_gui.ui.window.reports import WorkerReports
from vessl_gui.ui.window.selection import SelectionController
from vessl_gui.ui.window.sending import SendController
from vessl_gui.ui.window.startup import Startup, after_first_paint
from vessl_gui.ui.window.state import WindowState, load_settings, save_settings
from vessl_gui.ui.window.status import StatusBarLine, SystemClipboard
from vessl_gui.ui.window.tokens import TokenController

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from vessl_gui.ui.batch.controller import BatchController
    from vessl_gui.ui.compare.controller import CompareController
    from vessl_gui.ui.history.check import HistoryFileCheck
    from vessl_gui.ui.history.follow import FollowController
    from vessl_gui.ui.window.features import Features
    from vessl_gui.ui.workers import WorkerThreads

#: The details pane's share of the right splitter's height (the history's is 3).
DETAILS_STRETCH = 2


class MainWindow(QMainWindow):
    """The vessl-gui main window (``objectName`` ``mainWindow``)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setAccessibleName("vessl-gui")
        self.setWindowTitle("vessl-gui" + (" — demo" if ctx.demo else ""))
        self.closing = False
        self.app_settings = load_settings(ctx.settings)
        self.status_line = StatusBarLine(self.statusBar())
        self.clipboard = SystemClipboard(self.status_line)

        self.composer = Composer()
        self.tokens = TokenController(ctx, self.composer, self.status_line, self)
        self.service_bar = ServiceBar()
        composer_layout = self.composer.layout()
        assert isinstance(composer_layout, QVBoxLayout)
        composer_layout.insertWidget(1, self.service_bar)

        self.model = HistoryModel(ctx.store, self)
        self.history = HistoryPane(self.model, ctx.store)
        self.history_view = self.history.view
        self.filter_bar = self.history.filter_bar
        self.copy_id_button = self.history.copy_id_button

        # The details pane: a light shell made now and kept for the window's life (the
        # contract's `outputView`); its content is built when first needed.
        self.details = OutputPane()
        self.details.copy_requested.connect(self.clipboard.copy)
        self.details.message.connect(lambda text: self.status_line.say(text, 8000))
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.setObjectName("rightSplitter")
        self.right_splitter.addWidget(self.history.panel)
        self.right_splitter.addWidget(self.details)
        self.right_splitter.setStretchFactor(0, 3)
        self.right_splitter.setStretchFactor(1, DETAILS_STRETCH)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.composer)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(0, 2)
        self.main_splitter.setStretchFactor(1, 3)
        self.main_splitter.setSizes([460, 740])
        self.right_splitter.setSizes([300, 420])
        self.setCentralWidget(self.main_splitter)
        self.statusBar().addPermanentWidget(self.history.sending_label)

        self.startup = Startup(
            ctx,
            self.tokens,
            self.status_line,
            settings=lambda: self.app_settings,
            wire=lambda workers: self.reports.wire(workers),
            started=self._on_started,
            pruned=self.model.reload,
            parent=self,
        )
        self.selection = SelectionController(
            self.history_view,
            self.model,
            ctx.store,
            self.composer,
            self.status_line,
            self.clipboard,
            self.tokens,
            details=self.details,
            workers=self.startup.workers,
            commit_base_url=self.commit_base_url,
            parent=self,
        )
        self.reports = WorkerReports(
            self,
            self.model,
            self.history,
            self.selection,
            self.status_line,
            notify_wanted=lambda: self.app_settings.notify,
            counted=self.update_count,
            quiet=lambda row_id: self._features is not None and self.batches.owns(row_id),
        )
        self.services = ServicesController(
            self,
            ctx.profiles or ProfileStore(ctx.data_dir / "services.json"),
            self.service_bar,
            self.composer,
            self.status_line,
            self.clipboard,
            self.tokens,
            secrets=self.tokens.secret_store,
            demo_base_url=ctx.demo.base_url if ctx.demo else None,
        )
        self.sending = SendController(
            ctx,
            self.composer,
            self.tokens,
            self.status_line,
            self.services.variables,
            workers=self.startup.workers,
            client_config=self.client_config,
            shown=self._show_stored,
            sent=self.update_count,
            confirm=lambda title, text: self.confirm(title, text),
            parent=self,
        )
        self._features: Features | None = None  # built on first use (start-up)
        self.composer.send_requested.connect(self.send)
        self.composer.base_url_committed.connect(self.commit_base_url)
        self.composer.save_token_requested.connect(self.save_token)
        self.composer.forget_token_requested.connect(self.forget_token)
        self.composer.reveal_button.toggled.connect(self.tokens.reveal)
        self.services.base_url_set.connect(self.commit_base_url)
        self.model.count_changed.connect(self._on_count)
        self.copy_id_button.clicked.connect(self.copy_last_id)
        self.menus = build_menus(self, self)
        self.history_actions: HistoryActions = self.menus.history_actions
        self.send_action = self.menus.send_action
        self.refresh_action = self.menus.refresh_action
        self.copy_ids_action = self.menus.copy_ids_action
        self.update_count()
        self.state = WindowState(
            ctx.settings,
            self,
            {"mainSplitter": self.main_splitter, "rightSplitter": self.right_splitter},
            self.history_view.horizontalHeader(),
            self.composer,
            keep_composer=ctx.demo is None,
        )
        restored = self.state.restore()
        self.services.restore_last()
        if ctx.demo is not None:
            self._enter_demo(ctx.demo)
        if ctx.quarantined is not None:
            self.status_line.say(
                f"The history file was damaged and was moved aside to {ctx.quarantined}; "
                "a new history was started."
            )
        if not restored:
            self.resize(1200, 760)

    # -- what the controllers and tests use -------------------------------------------

    @property
    def workers(self) -> WorkerThreads | None:
        return self.startup.threads

    @property
    def history_check(self) -> HistoryFileCheck | None:
        return self.startup.history_check

    # -- the features beyond one request (built when first used) -------------------------

    def features(self) -> Features:
        if self._features is None:
            from vessl_gui.ui.window.features import build_features

            self._features = build_features(
                self,
                self.ctx,
                self.model,
                self.composer,
                self.status_line,
                self.tokens,
                self.services,
                self.selection,
                workers=self.startup.workers,
                client_config=self.client_config,
            )
        return self._features

    @property
    def follow(self) -> FollowController:
        return self.features().follow

    @property
    def batches(self) -> BatchController:
        return self.features().batches

    @property
    def compare(self) -> CompareController:
        return self.features().compare

    @property
    def store(self) -> HistoryStore:
        return self.ctx.store

    def start_services(self) -> None:
        """Start the worker threads, resume polling (after the first paint)."""
        self.startup.start()

    def _on_started(self) -> None:
        self.commit_base_url(self.composer.base_url_edit.text())
        # Not needed for the first frame, built in the next idle moment so that the
        # first row selected shows at once (~30 ms: its modules and widgets).
        QTimer.singleShot(0, self._prepare_details)
        if self.ctx.follow_ids:
            self.follow.follow_at_composer(self.ctx.follow_ids)
        if self.ctx.store.batches(unfinished_only=True):
            self.batches.offer_unfinished()

    def _prepare_details(self) -> None:
        if not self.closing:
            _ = self.details.content

    def _enter_demo(self, demo: DemoService) -> None:
        self.composer.demo_badge.show()
        self.composer.load(
            RequestDraft(demo.base_url, "POST", "/predictions/demo", EXAMPLE_DATA, demo.token),
            with_token=True,
        )
        self.composer.set_token_status("Demo token: kept for this session only, never saved")

    @Slot(str)
    def commit_base_url(self, text: str) -> None:
        """A base URL was entered or loaded: offer to save it, fill its token."""
        self.services.check_base_url(text)
        self.tokens.base_url_committed(text)

    @Slot()
    def send(self) -> None:
        self.sending.send()

    def send_request(self, request: AsyncRequest, token: str | None = None) -> bool:
        return self.sending.send_request(request, token)

    @Slot()
    def save_token(self) -> None:
        self.tokens.save()

    @Slot()
    def forget_token(self) -> None:
        self.tokens.forget()

    def keyring_pending(self) -> bool:
        return self.tokens.pending()

    def select_row(self, row: int) -> None:
        self.selection.select_row(row)

    @Slot()
    def copy_selected_ids(self) -> None:
        self.selection.copy_selected_ids()

    @Slot()
    def refresh_selected(self) -> None:
        self.selection.refresh_selected()

    @Slot()
    def copy_last_id(self) -> None:
        last = self.history.last_id
        if not last:
            self.status_line.say("No request id yet: send a request first.", 5000)
            return
        self.clipboard.set_text(last)
        self.status_line.say(f"Copied {last} to the clipboard.", 5000)

    def _show_stored(self, entry: HistoryEntry) -> None:
        """A row just stored by Send: shown on top, selected."""
        self.model.prepend(entry.summary())
        self.selection.select_added(entry)
        self.history.know_service(entry.base_url)

    def update_count(self, *_: object) -> None:
        flying = self.workers.in_flight() if self.workers is not None else 0
        self.history.show_count(self.model.total(), self.model.total_known(), flying)

    @Slot(int)
    def _on_count(self, _total: int) -> None:
        self.update_count()

    # -- settings and dialogs -----------------------------------------------------------

    def client_config(self, base_url: str) -> ClientConfig:
        """Timeouts and TLS for a service: its own when it is a saved service, else the
        user's settings."""
        return self.services.client_config(base_url, self.app_settings.client_config())

    # Dialog classes and modules are imported when first used: at start-up their Python
    # types (and enums) would delay the first frame.

    def confirm(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def open_settings(self) -> None:
        from PySide6.QtWidgets import QDialog

        from vessl_gui.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.app_settings, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_app_settings(dialog.result_settings())

    def set_app_settings(self, settings: AppSettings) -> None:
        self.app_settings = settings
        save_settings(self.ctx.settings, settings)
        self.status_line.say("Settings saved.", 5000)
        self.startup.apply_settings(initial=False)

    @Slot()
    def show_shortcuts(self) -> None:
        from vessl_gui.ui.settings_dialog import ShortcutSheet

        actions = [
            *self.actions(),
            *self.history_view.actions(),
            *self.composer.data_editor.actions(),
        ]
        ShortcutSheet(actions, self).exec()

    @Slot()
    def about(self) -> QMessageBox:
        """Open the About box (window-modal, not blocking; returned for tests)."""
        from vessl_gui.ui.window.about import open_about

        return open_about(self, self.tokens.describe_keyring(), self.ctx.data_dir)

    @Slot()
    def preview(self) -> None:
        """Request ▸ Preview: the exact body Send would send, variables replaced."""
        from vessl_gui.ui.window.preview import preview_composer

        preview_composer(
            self, self.composer, self.tokens, self.services.variables, self.status_line
        )

    @Slot()
    def focus_filter(self) -> None:
        self.filter_bar.filter_edit.setFocus()
        self.filter_bar.filter_edit.selectAll()

    @Slot()
    def focus_base_url(self) -> None:
        self.composer.base_url_edit.setFocus()
        self.composer.base_url_edit.selectAll()

    @property
    def output_view(self) -> OutputPane:
        """The details pane (``outputView``); its content is built on first use."""
        return self.details

    # -- closing --------------------------------------------------------------------------

    def save_state(self) -> None:
        self.state.save()

    def shutdown(self, timeout_ms: int = 2500) -> bool:
        """Stop the workers (bounded); rows keep their last known state. Idempotent."""
        self.closing = True
        self.tokens.closing = True
        if self._features is not None:
            self.batches.shutdown()
        self.sending.shutdown()
        self.model.close()
        self.selection.shutdown()
        return self.startup.stop(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.shutdown()
        event.accept()


def schedule_start(window: MainWindow, fallback_ms: int = 1000) -> None:
    """Start the services once the first frame is painted (or after ``fallback_ms``).

    A zero timer set before ``exec()`` runs before the first paint (tests/benchmarks
    B1), so the threads, httpx and the keyring would delay the window.
    """
    after_first_paint(window, window.start_services, fallback_ms)


__all__ = ["AppContext", "DemoService", "MainWindow", "after_first_paint", "schedule_start"]
