"""The main window: composer, history table and details pane, in splitters.

The window wires widgets to the core objects ``app.py`` hands it
(:class:`AppContext`); it does no HTTP or SQL itself.  Network work runs on
worker threads (:mod:`vessl_gui.ui.workers`), started after the first paint
so the window appears at once.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vessl_gui import __version__
from vessl_gui.core import errors
from vessl_gui.core.credentials import SessionTokens, TokenStore
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import (
    AsyncRequest,
    ClientConfig,
    HistoryEntry,
    HistorySummary,
    KeyringStatus,
    RequestDraft,
    Timeouts,
)
from vessl_gui.core.profiles import ProfileStore
from vessl_gui.core.records import record
from vessl_gui.core.settings import AppSettings
from vessl_gui.core.validation import normalize_base_url, normalize_token, validate_draft
from vessl_gui.ui.composer import EXAMPLE_DATA, Composer
from vessl_gui.ui.history_actions import HistoryActions
from vessl_gui.ui.history_model import (
    COL_ID,
    COL_MESSAGE,
    COL_METHOD,
    COL_PATH,
    COL_RAN,
    COL_SERVICE,
    COL_STATUS,
    COL_TOTAL,
    COL_WAITED,
    HistoryModel,
    HistoryQuery,
)
from vessl_gui.ui.history_panel import HistoryPanel
from vessl_gui.ui.output.pane import OutputPane
from vessl_gui.ui.services import ServiceBar, ServicesController

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QSystemTrayIcon

    from vessl_gui.core.client import ServeClient
    from vessl_gui.ui.entry_reader import EntryReader
    from vessl_gui.ui.history_adds import HistoryAdds
    from vessl_gui.ui.history_check import HistoryFileCheck
    from vessl_gui.ui.keyring_open import KeyringOpener
    from vessl_gui.ui.workers import WorkerThreads

log = logging.getLogger(__name__)

#: The details pane's share of the right splitter's height (the history's is 3).
DETAILS_STRETCH = 2
NO_KEYRING_TEXT = "No usable system keyring: the token is kept for this session only."
#: Requests with at least this many characters of data are stored on a thread before
#: they are sent (:mod:`vessl_gui.ui.history_adds`; storing 5 MB takes ~60 ms).
ADD_APART_FROM = 256_000


@record(frozen=False)
class DemoService:
    """The in-process emulator the demo talks to."""

    base_url: str
    token: str = field(repr=False)


@record(frozen=False)
class AppContext:
    """Everything the window needs, built by ``app.py`` (tests build their own)."""

    store: HistoryStore
    tokens: TokenStore
    settings: QSettings
    data_dir: Path
    timeouts: Timeouts = field(default_factory=Timeouts)
    demo: DemoService | None = None
    client_factory: Callable[[], ServeClient] | None = None
    quarantined: Path | None = None
    """A corrupt history file that was moved aside at start, to tell the user about."""
    send_workers: int = 4
    profiles: ProfileStore | None = None
    """Saved services and requests; None: ``<data dir>/services.json``."""


class MainWindow(QMainWindow):
    """The vessl-gui main window (``objectName`` ``mainWindow``)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setAccessibleName("vessl-gui")
        self.setWindowTitle("vessl-gui" + (" — demo" if ctx.demo else ""))
        self.workers: WorkerThreads | None = None
        self._session_tokens = SessionTokens()
        self._keyring: KeyringStatus | None = None
        self._autofilled_token_for: str | None = None
        self._last_id: str | None = None
        self._added: HistoryEntry | None = None  # see send_request
        self.history_check: HistoryFileCheck | None = None  # once the services start
        self.keyring_opener: KeyringOpener | None = None  # see _keyring_ready
        self._after_keyring: list[tuple[str | None, Callable[[], object]]] = []
        # What this session read from or wrote to the keyring, so a Send with the same
        # token does not ask it again (a D-Bus call; a re-locked keyring would prompt).
        self._in_keyring = SessionTokens()
        self._closing = False
        self.app_settings = load_settings(ctx.settings)
        self.notifications: list[str] = []
        self._tray: QSystemTrayIcon | None = None

        self.composer = Composer()
        self.composer.send_requested.connect(self.send)
        self.composer.base_url_committed.connect(self._on_base_url_committed)
        self.composer.save_token_requested.connect(self.save_token)
        self.composer.forget_token_requested.connect(self.forget_token)
        self.composer.reveal_button.toggled.connect(self._on_reveal_token)
        self._token_placeholder = self.composer.token_edit.placeholderText()
        self.service_bar = ServiceBar()
        composer_layout = self.composer.layout()
        assert isinstance(composer_layout, QVBoxLayout)
        composer_layout.insertWidget(1, self.service_bar)

        self.model = HistoryModel(ctx.store, self)
        self.copy_id_button = QPushButton("Copy ID")
        self.copy_id_button.setObjectName("copyIdButton")
        self.copy_id_button.setAccessibleName("Copy last request ID")
        self.copy_id_button.setToolTip("Copy the last created request id (Ctrl+Shift+C)")
        self.copy_id_button.setEnabled(False)
        self.copy_id_button.clicked.connect(self.copy_last_id)
        self.last_id_label = QLabel("No request sent yet")
        self.last_id_label.setObjectName("lastIdLabel")
        self.last_id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history_count = QLabel("")
        self.history_count.setObjectName("historyCount")
        self.model.count_changed.connect(self._update_count)
        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(4, 4, 4, 0)
        top_layout.addWidget(QLabel("<b>History</b>"))
        top_layout.addWidget(self.history_count)
        top_layout.addStretch(1)
        top_layout.addWidget(self.last_id_label)
        top_layout.addWidget(self.copy_id_button)

        self.history_panel = HistoryPanel(top)
        self.filter_bar = self.history_panel.filter_bar
        self.filter_bar.query_changed.connect(self._on_filter)
        self.filter_bar.set_services(ctx.store.services())
        self.history_view = self.history_panel.view
        self.history_view.setModel(self.model)
        self.history_view.setSortingEnabled(True)
        header = self.history_view.horizontalHeader()
        fm = self.history_view.fontMetrics()
        pad = 3 * fm.horizontalAdvance(" ")
        for col, sample in (
            (0, "2026-12-31 23:59"),
            (COL_ID, "0123456789abcdef"),
            (COL_STATUS, "in progress (00)"),
            (COL_METHOD, "DELETE"),
            (COL_PATH, "/predictions/model"),
            (COL_SERVICE, "service-name"),
            (COL_MESSAGE, "Completed (HTTP 200)"),
            *((col, "9 min 59 s") for col in (COL_WAITED, COL_RAN, COL_TOTAL)),
        ):
            header.resizeSection(col, fm.horizontalAdvance(sample) + pad)
        self.history_view.selectionModel().selectionChanged.connect(self._on_selection)
        self.history_view.doubleClicked.connect(self._reopen_index)
        history_box = self.history_panel

        # The details pane stays for the window's life; its content (OutputView: tabs,
        # tree, image preview and their modules) is built inside it when a row is first
        # selected (or the content first used): until then it would only say "select a
        # request", and building it delays the first frame.
        self._output_pane = OutputPane()
        self._output_pane.copy_requested.connect(self._copy_text)
        self._output_pane.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._reader: EntryReader | None = None  # reads the selected row (details pane)
        self._adds: HistoryAdds | None = None  # stores large requests before they are sent

        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.setObjectName("rightSplitter")
        self.right_splitter.addWidget(history_box)
        self.right_splitter.addWidget(self._output_pane)
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

        self.status_label = QLabel("")
        self.statusBar().addPermanentWidget(self.status_label)
        profiles = ctx.profiles or ProfileStore(ctx.data_dir / "services.json")
        self.services = ServicesController(self, profiles, self.service_bar)
        self._build_actions()
        self._update_count(self.model.total())
        self._restore_state()
        self.services.restore_last()
        if ctx.demo is not None:
            self._enter_demo(ctx.demo)
        if ctx.quarantined is not None:
            self.statusBar().showMessage(
                f"The history file was damaged and was moved aside to {ctx.quarantined}; "
                "a new history was started."
            )
        if not self._restored_geometry:
            self.resize(1200, 760)

    # -- actions ----------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcuts: list[str] | None = None,
        name: str = "",
    ) -> QAction:
        act = QAction(self)  # not QAction(text, self): see JsonEditor._make_action
        act.setText(text)
        if shortcuts:
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if name:
            act.setObjectName(name)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(
            self._action("&Settings…", self.open_settings, ["Ctrl+,"], "settingsAction")
        )
        file_menu.addSeparator()
        quit_act = self._action("&Quit", self.close, ["Ctrl+Q"], "quitAction")
        file_menu.addAction(quit_act)

        edit_menu = bar.addMenu("&Edit")
        self.copy_ids_action = QAction(self.history_view)
        self.copy_ids_action.setText("&Copy selected IDs")
        self.copy_ids_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_ids_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_ids_action.triggered.connect(self.copy_selected_ids)
        self.history_view.addAction(self.copy_ids_action)
        edit_menu.addAction(self.copy_ids_action)
        edit_menu.addAction(
            self._action("Copy &last ID", self.copy_last_id, ["Ctrl+Shift+C"], "copyLastIdAction")
        )
        edit_menu.addAction(
            self._action("Focus &base URL", self._focus_base_url, ["Ctrl+L"], "focusBaseUrl")
        )
        edit_menu.addAction(
            self._action("Focus &history", self.history_view.setFocus, ["Ctrl+H"], "focusHistory")
        )
        edit_menu.addAction(
            self._action("&Filter history", self._focus_filter, ["Ctrl+K"], "focusFilter")
        )
        edit_menu.addSeparator()
        editor = self.composer.data_editor
        editor.message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        for act in (editor.format_action, editor.minify_action, editor.open_action):
            edit_menu.addAction(act)

        req_menu = bar.addMenu("&Request")
        self.send_action = self._action(
            "&Send", self.send, ["Ctrl+Return", "Ctrl+Enter"], "sendAction"
        )
        req_menu.addAction(self.send_action)
        self.refresh_action = self._action(
            "&Refresh status of selected", self.refresh_selected, ["F5"], "refreshAction"
        )
        req_menu.addAction(self.refresh_action)
        req_menu.addAction(
            self._action("Open selected in &composer", self.reopen_selected, [], "reopenAction")
        )
        req_menu.addAction(self.services.save_action)
        req_menu.addSeparator()
        req_menu.addAction(
            self._action(
                "&Import from curl…",
                self.services.import_curl_dialog,
                ["Ctrl+Shift+I"],
                "importCurlAction",
            )
        )
        req_menu.addAction(
            self._action(
                "Copy as c&url",
                lambda: self.services.copy_composer("curl"),
                ["Ctrl+Shift+U"],
                "copyCurlAction",
            )
        )
        req_menu.addAction(
            self._action(
                "Copy as curl (include &token)",
                lambda: self.services.copy_composer("curl", include_token=True),
                [],
                "copyCurlTokenAction",
            )
        )
        req_menu.addAction(
            self._action(
                "Copy as P&ython",
                lambda: self.services.copy_composer("python"),
                [],
                "copyPythonAction",
            )
        )
        req_menu.addSeparator()
        req_menu.addAction(self._action("Sa&ve token", self.save_token, [], "saveTokenAction"))
        req_menu.addAction(
            self._action("&Forget token", self.forget_token, [], "forgetTokenAction")
        )

        self.history_actions = HistoryActions(self)
        self.history_view.customContextMenuRequested.connect(self.history_actions.context_menu)
        self.history_actions.fill_menu(bar.addMenu("&History"))

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(
            self._action("&Keyboard shortcuts", self.show_shortcuts, ["F1"], "shortcutsAction")
        )
        help_menu.addAction(self._action("&About vessl-gui", self.about, [], "aboutAction"))

    # -- start-up -----------------------------------------------------------------

    def start_services(self) -> None:
        """Start the worker threads, read the keyring, resume polling (after first paint)."""
        if self.workers is not None:
            return
        from vessl_gui.ui.workers import ClientFactory, WorkerThreads, make_client

        factory: ClientFactory = make_client
        if self.ctx.client_factory is not None:
            injected = self.ctx.client_factory
            factory = lambda config: injected()  # noqa: E731 - tests inject one client kind
        self.workers = WorkerThreads(
            self.ctx.store, factory, send_workers=self.ctx.send_workers, parent=self
        )
        self.workers.row_updated.connect(self._on_row_updated)
        self.workers.created.connect(self._on_created)
        self.workers.send_failed.connect(self._on_send_failed)
        self.workers.finished.connect(self._on_finished)
        self.workers.storage_failed.connect(self._on_storage_failed)
        self.workers.start()
        self._apply_settings(initial=True)
        # The keyring is checked when a token is first needed (_keyring_usable): loading
        # its backends costs ~20 MB and a D-Bus round trip on the GUI thread.
        if self.ctx.demo is not None:
            self._session_tokens.set(self.ctx.demo.base_url, self.ctx.demo.token)
            self.workers.set_token(self.ctx.demo.base_url, self.ctx.demo.token)
        self._on_base_url_committed(self.composer.base_url_edit.text())
        self._resume_polling()
        # Not needed for the first frame, built in the next idle moment so that the
        # first row selected shows at once (~30 ms: its modules and widgets).
        QTimer.singleShot(0, self._prepare_details)
        self._check_history_file()

    def _check_history_file(self) -> None:
        """Check the whole history file on a thread (at start only its table was)."""
        path = self.ctx.store.path
        if path in ("", ":memory:") or path.startswith("file:"):
            return
        from vessl_gui.ui.history_check import HistoryFileCheck

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
            self.statusBar().showMessage(f"The history file is damaged ({found}). {exc.message}")
            return
        self.statusBar().showMessage(
            f"The history file is damaged ({found}). vessl-gui keeps using it for now; at "
            "the next start it is moved aside (kept, not deleted) and a new history begins."
        )

    def _prepare_details(self) -> None:
        if not self._closing:
            _ = self._output_pane.content

    def _resume_polling(self) -> None:
        assert self.workers is not None
        unfinished = self.ctx.store.unfinished()
        urls = {s.base_url for s in unfinished}
        if any(self._session_tokens.get(u) is None for u in urls) and not self._keyring_ready(
            "resume", self._resume_polling
        ):
            return
        for base_url in sorted(urls):
            token = self._lookup_token(base_url)
            if token:
                self.workers.set_token(base_url, token)
        for s in unfinished:
            if s.request_id:
                self.workers.track(s.row_id, s.base_url, s.request_id)
        if unfinished:
            self.statusBar().showMessage(
                f"Checking the status of {len(unfinished)} unfinished request(s)…", 5000
            )

    def _enter_demo(self, demo: DemoService) -> None:
        self.composer.demo_badge.show()
        self.composer.load(
            RequestDraft(demo.base_url, "POST", "/predictions/demo", EXAMPLE_DATA, demo.token),
            with_token=True,
        )
        self.composer.set_token_status("Demo token: kept for this session only, never saved")

    # -- tokens -------------------------------------------------------------------

    def _keyring_name(self) -> str:
        return self._keyring.backend_name if self._keyring else "the system keyring"

    def _keyring_usable(self) -> bool:
        if self._keyring is None:
            self._keyring = self.ctx.tokens.status()
        return self._keyring.usable

    def _keyring_ready(self, name: str | None, then: Callable[[], object]) -> bool:
        """True when the keyring can be asked now without blocking the window.

        Else it is opened on a thread (:class:`KeyringOpener`: its library, D-Bus, maybe
        an unlock prompt) and ``then`` runs once it has answered, in order: every one
        with ``name`` None (each Send pressed meanwhile sends), else one per ``name``.
        """
        if self._keyring is not None or self.ctx.tokens.loaded:
            return True
        if name is None or all(n != name for n, _ in self._after_keyring):
            self._after_keyring.append((name, then))
        if self.keyring_opener is None:
            from vessl_gui.ui.keyring_open import KeyringOpener

            self.keyring_opener = KeyringOpener(self.ctx.tokens, self)
            self.keyring_opener.opened.connect(self._on_keyring_opened)
            self.keyring_opener.start()
        self.statusBar().showMessage("Opening the system keyring…")
        return False

    @Slot(object)
    def _on_keyring_opened(self, status: KeyringStatus) -> None:
        self._keyring = status
        waiting, self._after_keyring = self._after_keyring, []
        if self._closing:
            return
        self.statusBar().clearMessage()
        for _, then in waiting:
            then()

    def keyring_pending(self) -> bool:
        """Whether an action waits for the keyring to open (see ``_keyring_ready``)."""
        return bool(self._after_keyring)

    def _lookup_token(self, base_url: str) -> str | None:
        token = self._session_tokens.get(base_url)
        if token:
            return token
        if not self._keyring_usable():
            return None
        known = self._in_keyring.get(base_url)
        if known:
            return known
        try:
            token = self.ctx.tokens.get(base_url)
        except errors.CredentialError as exc:
            self.composer.set_token_status(f"Keyring error: {exc.message}", warning=True)
            return None
        if token:
            self._in_keyring.set(base_url, token)
        return token

    @Slot(str)
    def _on_base_url_committed(self, text: str) -> None:
        self.services.check_base_url(text)
        if self.workers is None:
            return
        try:
            key = normalize_base_url(text)
        except errors.ValidationError:
            return
        if self.ctx.demo is not None and key == self.ctx.demo.base_url:
            return
        current = self.composer.token_edit.text()
        if current and self._autofilled_token_for not in (None, key):
            self.composer.token_edit.clear()
            current = ""
        self.composer.token_edit.setPlaceholderText(self._token_placeholder)
        if self._session_tokens.get(key) is None and not self.ctx.tokens.loaded:
            # Not loaded yet: the keyring (~13 MB, a D-Bus call, maybe an unlock prompt) is
            # read when the token is needed (send, Show, copy with token), not to fill the field.
            if not current:
                self._describe_unread_token(key)
            return
        if not self._keyring_usable():
            reason = self._keyring.reason if self._keyring else ""
            self.composer.set_token_status(reason or NO_KEYRING_TEXT, warning=True)
        token = self._lookup_token(key)
        if token and not current:
            self.composer.token_edit.setText(token)
            self._autofilled_token_for = key
            where = (
                f"Saved in {self._keyring_name()}"
                if self._session_tokens.get(key) is None
                else "Kept for this session only"
            )
            self.composer.set_token_status(where)
        elif token is None and self._keyring_usable():
            self.composer.set_token_status(
                f"Not saved yet: it will be saved in {self._keyring_name()} when you send or Save"
            )

    def _is_demo_url(self) -> bool:
        """The composer's base URL is the built-in demo's (its token is never saved)."""
        if self.ctx.demo is None:
            return False
        try:
            return normalize_base_url(self.composer.base_url_edit.text()) == self.ctx.demo.base_url
        except errors.ValidationError:
            return False

    def _describe_unread_token(self, key: str) -> None:
        saved = self.ctx.tokens.saved_hint(key)
        where = self._keyring_name()
        if saved:
            self.composer.token_edit.setPlaceholderText(f"Saved in {where}: used when you send")
            self.composer.set_token_status(
                f"Saved in {where}: read from it when you send (Show reads it now)"
            )
        elif saved is None:
            self.composer.set_token_status(
                f"A token saved in {where} for this URL is used when you send; or paste one"
            )
        else:
            self.composer.set_token_status(
                f"Not saved yet: it will be saved in {where} when you send or Save"
            )

    @Slot(bool)
    def _on_reveal_token(self, shown: bool) -> None:
        if shown and self._keyring_ready("show", lambda: self._on_reveal_token(True)):
            self._fill_saved_token()

    def _fill_saved_token(self) -> bool:
        """An empty token field gets the saved token for its base URL (reading the
        keyring if need be); True when the field now has a token."""
        if self.composer.token_edit.text().strip():
            return True
        try:
            key = normalize_base_url(self.composer.base_url_edit.text())
        except errors.ValidationError:
            return False
        before = self.composer.token_status.text()
        token = self._lookup_token(key)
        if not token:
            if self.composer.token_status.text() == before:  # no keyring error was shown
                if self._keyring_usable():
                    self.composer.set_token_status(
                        f"No token saved in {self._keyring_name()} for this URL: paste one"
                    )
                else:
                    reason = self._keyring.reason if self._keyring else ""
                    self.composer.set_token_status(reason or NO_KEYRING_TEXT, warning=True)
            return False
        self.composer.token_edit.setText(token)
        self._autofilled_token_for = key
        self.composer.set_token_status(
            f"Saved in {self._keyring_name()}"
            if self._session_tokens.get(key) is None
            else "Kept for this session only"
        )
        return True

    def _remember_token(self, base_url: str, token: str) -> None:
        """Keep the token for polling, and in the keyring when there is one."""
        if self.workers is not None:
            self.workers.set_token(base_url, token)
        self._autofilled_token_for = base_url
        if self.ctx.demo is not None and base_url == self.ctx.demo.base_url:
            self._session_tokens.set(base_url, token)
            return
        if self._keyring_usable():
            try:
                if self._in_keyring.get(base_url) != token:
                    if self.ctx.tokens.get(base_url) != token:
                        self.ctx.tokens.set(base_url, token)
                    self._in_keyring.set(base_url, token)
                self._session_tokens.delete(base_url)
                self.composer.set_token_status(f"Saved in {self._keyring_name()}")
                return
            except errors.CredentialError as exc:
                self.composer.set_token_status(
                    f"Could not save the token in {self._keyring_name()}: {exc.message} "
                    "It is kept for this session only.",
                    warning=True,
                )
        self._session_tokens.set(base_url, token)

    @Slot()
    def save_token(self) -> None:
        if not self._keyring_ready("save", self.save_token):
            return
        draft = self.composer.to_draft()
        try:
            base_url = normalize_base_url(draft.base_url)
            token = normalize_token(draft.token)
        except errors.ValidationError as exc:
            self.composer.show_errors(exc)
            return
        self.composer.clear_errors()
        self._remember_token(base_url, token)
        self.statusBar().showMessage("Token saved for " + base_url, 5000)

    @Slot()
    def forget_token(self) -> None:
        if not self._keyring_ready("forget", self.forget_token):
            return
        try:
            base_url = normalize_base_url(self.composer.base_url_edit.text())
        except errors.ValidationError as exc:
            self.composer.show_errors(exc)
            return
        self._session_tokens.delete(base_url)
        self._in_keyring.delete(base_url)
        removed = False
        if self._keyring_usable():
            try:
                removed = self.ctx.tokens.delete(base_url)
            except errors.CredentialError as exc:
                self.composer.set_token_status(f"Keyring error: {exc.message}", warning=True)
        self.composer.token_edit.clear()
        self._autofilled_token_for = None
        if self.workers is not None:
            self.workers.set_token(base_url, "")
        where = f" from {self._keyring_name()}" if removed else ""
        self.composer.set_token_status(f"Token forgotten{where}.")
        self.statusBar().showMessage(f"Token for {base_url} forgotten{where}", 5000)

    # -- sending ------------------------------------------------------------------

    @Slot()
    def send(self) -> None:
        """Validate the composer and send on a worker; the row appears at once."""
        if self._closing:
            return
        if not self._is_demo_url() and not self._keyring_ready(None, self.send):
            return
        self._fill_saved_token()
        draft = self.composer.to_draft()
        try:
            valid = validate_draft(draft, data_checked=self.composer.data_editor.is_known_valid())
        except errors.ValidationError as exc:
            self.composer.show_errors(exc)
            names = ", ".join(f.field.replace("_", " ") for f in exc.fields)
            self.statusBar().showMessage(f"Not sent: please fix {names}.")
            return
        self.composer.clear_errors()
        if not self._plain_http_ok(valid.request.base_url):
            self.statusBar().showMessage("Not sent: the token would travel unencrypted.")
            return
        self._remember_token(valid.request.base_url, valid.token)
        self.send_request(valid.request, valid.token)

    def send_request(self, request: AsyncRequest, token: str | None = None) -> bool:
        """Record the request in history (row shown at once) and send it on a worker.

        A large request is recorded on a thread first (:mod:`vessl_gui.ui.history_adds`):
        its row is shown, and it is sent, once it is stored.  Without ``token``, the
        token known for the request's base URL is used.  False when it is not sent.
        """
        if self._closing:
            return False
        if self.workers is None:
            self.start_services()
        assert self.workers is not None
        token = token or self._lookup_token(request.base_url)
        if not token:
            self.statusBar().showMessage(
                f"Not sent: no token for {request.base_url}. Enter it in the composer first."
            )
            return False
        if len(request.data) < ADD_APART_FROM and not (self._adds and self._adds.pending()):
            try:
                entry = self.ctx.store.add(request)
            except errors.StorageError as exc:
                self.statusBar().showMessage(f"Not sent: the history could not be saved: {exc}")
                return False
            self._hand_over(request, token, entry)
            return True
        # A large request is stored on a thread (and those after it wait their turn).
        if self._adds is None:
            from vessl_gui.ui.history_adds import HistoryAdds

            self._adds = HistoryAdds(self.ctx.store, self)
        if not self._adds.add(request, lambda e, why: self._stored(request, token, e, why)):
            self.statusBar().showMessage(f"Saving {request.method} {request.path}…")
        return True

    def _stored(
        self, request: AsyncRequest, token: str, entry: HistoryEntry | None, why: str | None
    ) -> None:
        """A request stored by :class:`HistoryAdds`: send it (or say why not)."""
        if entry is None:
            self.statusBar().showMessage(f"Not sent: the history could not be saved: {why}")
            return
        self._hand_over(request, token, entry)

    def _hand_over(self, request: AsyncRequest, token: str, entry: HistoryEntry) -> None:
        """Show the stored row (selected) and give it to a send worker."""
        assert self.workers is not None
        self.model.prepend(entry.summary())
        row = self.model.row_of(entry.row_id)
        if row is not None:
            self._added = entry  # the row as stored: selecting it need not read it back
            try:
                self.select_row(row)
            finally:
                self._added = None
        if self.filter_bar.service_combo.findData(request.base_url) < 0:
            try:
                self.filter_bar.set_services(self.ctx.store.services())
            except errors.StorageError as exc:  # only the filter's list is out of date
                log.warning("the services filter was not updated: %s", exc.message)
        config = self.client_config(request.base_url)
        self.workers.set_config(request.base_url, config)
        self.workers.send(entry.row_id, request, token, config)
        self.statusBar().showMessage(f"Sending {request.method} {request.path}…")
        self._update_count(self.model.total())

    @Slot(object)
    def _on_row_updated(self, entry: HistoryEntry) -> None:
        self.model.update(entry)
        self._update_count(self.model.total())
        view = self._output_pane
        current = view.entry()
        if current is not None and current.row_id == entry.row_id:
            view.show_entry(entry)
        elif view.is_built() and self._reader and self._reader.pending_row() == entry.row_id:
            self._reader.cancel()  # this is newer than what is being read
            view.show_entry(entry)

    @Slot(int, str, str)
    def _on_created(self, row_id: int, base_url: str, request_id: str) -> None:
        if self.workers is not None:
            self.workers.track(row_id, base_url, request_id)
        self._last_id = request_id
        self.copy_id_button.setEnabled(True)
        self.copy_id_button.setText(f"Copy ID {request_id}")
        self.last_id_label.setText("Last id:")
        self.statusBar().showMessage(f"Created request {request_id}.", 10000)
        self._update_count(self.model.total())

    @Slot(int, object)
    def _on_send_failed(self, row_id: int, error: errors.ServeError) -> None:
        self.statusBar().showMessage(f"Send failed: {error.message}")
        self._update_count(self.model.total())

    @Slot(object)
    def _on_finished(self, entry: HistoryEntry) -> None:
        label = entry.request_id or str(entry.row_id)
        self.statusBar().showMessage(f"Request {label} {entry.state}.", 10000)
        if self.app_settings.notify and not self.isActiveWindow():
            self.notify(f"Request {label} {entry.state}", f"{entry.method} {entry.path}")

    def notify(self, title: str, text: str) -> None:
        """A desktop notification (tray message where there is a tray, else a taskbar alert)."""
        self.notifications.append(title)
        QApplication.alert(self)
        from PySide6.QtWidgets import QSystemTrayIcon

        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self.windowIcon(), self)
                self._tray.show()
            self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)

    # -- settings ---------------------------------------------------------------

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

    def _plain_http_ok(self, base_url: str) -> bool:
        """Ask once per service before a token goes over plain http to another host."""
        parts = urlsplit(base_url)
        if parts.scheme != "http" or _is_loopback(parts.hostname or ""):
            return True
        key = "insecure/" + base_url.replace("/", "|")
        if self.ctx.settings.value(key, False, type=bool):
            return True
        if not self.confirm(
            "Send the token unencrypted?",
            f"{base_url} uses plain http:// and is not this computer. Your token would "
            "travel unencrypted and could be read on the way.\n\nSend anyway? "
            "(You will not be asked again for this service.)",
        ):
            return False
        self.ctx.settings.setValue(key, True)
        return True

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
        self.statusBar().showMessage("Settings saved.", 5000)
        self._apply_settings(initial=False)

    def _apply_settings(self, *, initial: bool) -> None:
        s = self.app_settings
        if self.workers is not None:
            self.workers.set_config("", s.client_config())
            defaults = AppSettings()
            if not initial or (s.poll_first, s.poll_max) != (
                defaults.poll_first,
                defaults.poll_max,
            ):
                self.workers.set_intervals(s.poll_first, s.poll_max)
        if s.retention_days or s.retention_rows:
            try:
                pruned = self.ctx.store.prune(s.retention_days, s.retention_rows)
            except errors.StorageError as exc:
                self.statusBar().showMessage(f"History retention failed: {exc.message}")
                return
            if pruned:
                self.model.reload()
                self.statusBar().showMessage(
                    f"History retention: removed {pruned} old row(s).", 10000
                )

    @Slot()
    def show_shortcuts(self) -> None:
        actions = [
            *self.actions(),
            *self.history_view.actions(),
            *self.composer.data_editor.actions(),
        ]
        from vessl_gui.ui.settings_dialog import ShortcutSheet

        ShortcutSheet(actions, self).exec()

    @Slot(str)
    def _on_storage_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"History could not be saved: {message}")

    def _update_count(self, total: int) -> None:
        flying = self.workers.in_flight() if self.workers is not None else 0
        counting = "" if self.model.total_known() else "+"  # the rest is being counted
        self.history_count.setText(f"{total}{counting} request(s)")
        self.status_label.setText(f"{flying} sending" if flying else "")

    # -- history selection, copy, refresh ------------------------------------------

    @property
    def output_view(self) -> OutputPane:
        """The details pane (``outputView``); its content is built on first use."""
        return self._output_pane

    def select_row(self, row: int) -> None:
        """Select history row ``row`` alone, and make it current.

        Not ``QTableView.selectRow``: that reads the keyboard's modifiers, so with Ctrl
        still down from Ctrl+Enter it toggled the row into the selection.
        """
        from PySide6.QtCore import QItemSelectionModel  # (its Python type: not at start-up)

        flags = QItemSelectionModel.SelectionFlag
        self.history_view.selectionModel().setCurrentIndex(
            self.model.index(row, 0), flags.ClearAndSelect | flags.Rows
        )

    def _selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.history_view.selectionModel().selectedRows()}
        return sorted(rows)

    def _selected_entries(self) -> list[HistoryEntry]:
        return self.ctx.store.get_many(self._selected_row_ids())

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, *_: object) -> None:
        if self._reader is not None:
            self._reader.cancel()  # what the last selection still waits for is not shown
        rows = self._selected_rows()
        if not rows:
            if self._output_pane.is_built():
                self._output_pane.show_entry(None)
            return
        s = self.model.summary_at(rows[0])
        added = self._added
        if s is not None and added is not None and added.row_id == s.row_id:
            self.output_view.show_entry(added)
            return
        shown = self._output_pane.entry()
        if s is not None and shown is not None and _same_version(shown, s):
            return  # e.g. a row added above it moved it: shown as it is stored
        if s is None:
            self.output_view.show_entry(None)
            return
        if not self._entry_reader().read(s.row_id, self._show_read):
            self.output_view.show_reading(f"Reading request {s.request_id or s.row_id}…")

    def _entry_reader(self) -> EntryReader:
        if self._reader is None:
            from vessl_gui.ui.entry_reader import EntryReader

            self._reader = EntryReader(self.ctx.store, self)
        return self._reader

    def _show_read(self, entry: HistoryEntry | None, error: str | None) -> None:
        """A selected row, read (:meth:`_on_selection`)."""
        if error is not None:
            self.output_view.show_reading(f"Not shown: {error}")
            self.statusBar().showMessage(f"Could not read the selected row: {error}", 8000)
            return
        self.output_view.show_entry(entry)

    def _set_clipboard(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)

    @Slot()
    def copy_selected_ids(self) -> None:
        ids = []
        for row in self._selected_rows():
            s = self.model.summary_at(row)
            if s is not None and s.request_id:
                ids.append(s.request_id)
        if not ids:
            self.statusBar().showMessage("Nothing copied: the selected rows have no id yet.", 5000)
            return
        self._set_clipboard("\n".join(ids))
        shown = ids[0] if len(ids) == 1 else f"{len(ids)} ids"
        self.statusBar().showMessage(f"Copied {shown} to the clipboard.", 5000)

    @Slot()
    def copy_last_id(self) -> None:
        if not self._last_id:
            self.statusBar().showMessage("No request id yet: send a request first.", 5000)
            return
        self._set_clipboard(self._last_id)
        self.statusBar().showMessage(f"Copied {self._last_id} to the clipboard.", 5000)

    @Slot(str, str)
    def _copy_text(self, what: str, text: str) -> None:
        self._set_clipboard(text)
        shown = text if what == "id" else f"the {what} ({len(text)} characters)"
        self.statusBar().showMessage(f"Copied {shown} to the clipboard.", 5000)

    @Slot()
    def refresh_selected(self) -> None:
        rows = []
        for row in self._selected_rows():
            s = self.model.summary_at(row)
            if s is not None and s.request_id:
                rows.append((s.row_id, s.base_url, s.request_id))
        if not rows:
            self.statusBar().showMessage("Select rows with an id to refresh their status.", 5000)
            return
        if self.workers is None:
            self.start_services()
        assert self.workers is not None
        if not self._keyring_ready("refresh", self.refresh_selected):
            return
        for _, base_url, _ in rows:
            token = self._lookup_token(base_url)
            if token:
                self.workers.set_token(base_url, token)
        self.workers.refresh(rows)
        self.statusBar().showMessage(f"Checking the status of {len(rows)} request(s)…", 5000)

    @Slot()
    def reopen_selected(self) -> None:
        entries = self._selected_entries()
        if entries:
            self._reopen(entries[0])

    @Slot(QModelIndex)
    def _reopen_index(self, index: QModelIndex) -> None:
        s = self.model.summary_at(index.row())
        entry = self.ctx.store.get(s.row_id) if s else None
        if entry is not None:
            self._reopen(entry)

    def _reopen(self, entry: HistoryEntry) -> None:
        old_base = self.composer.base_url_edit.text()
        self.composer.load(RequestDraft(entry.base_url, entry.method, entry.path, entry.data))
        if old_base.strip() != entry.base_url:
            self._on_base_url_committed(entry.base_url)
        self.statusBar().showMessage("Request loaded into the composer: edit it or Send.", 5000)

    @Slot()
    def _focus_filter(self) -> None:
        self.filter_bar.filter_edit.setFocus()
        self.filter_bar.filter_edit.selectAll()

    @Slot(object)
    def _on_filter(self, query: HistoryQuery) -> None:
        current = self.model.query
        self.model.set_query(replace(query, sort=current.sort, descending=current.descending))

    def _selected_row_ids(self) -> list[int]:
        ids = []
        for row in self._selected_rows():
            s = self.model.summary_at(row)
            if s is not None:
                ids.append(s.row_id)
        return ids

    @Slot()
    def _focus_base_url(self) -> None:
        self.composer.base_url_edit.setFocus()
        self.composer.base_url_edit.selectAll()

    @Slot()
    def about(self) -> QMessageBox:
        """Open the About box (window-modal, not blocking; returned for tests).

        The app icon, version, license, links, the keyring backend in use and the
        data dir.
        """
        from html import escape

        from PySide6.QtWidgets import QMessageBox

        from vessl_gui.meta import DOCS_URL, HOMEPAGE_URL, LICENSE

        if self.ctx.tokens.loaded:
            self._keyring_usable()  # not opened just for this box: it may prompt
        if self._keyring is None:
            keyring = "not opened yet (it is, when a token is first needed)"
        elif self._keyring.usable:
            keyring = escape(self._keyring.backend_name)
        else:
            keyring = "none usable: tokens are kept for this session only"
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About vessl-gui")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        icon = QGuiApplication.windowIcon()
        if not icon.isNull():
            box.setIconPixmap(icon.pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>vessl-gui {escape(__version__)}</h3>"
            "<p>A native desktop client for VESSL Serve asynchronous requests.</p>"
            f"<p>License: {LICENSE}<br>"
            f'<a href="{HOMEPAGE_URL}">{HOMEPAGE_URL}</a> · '
            f'<a href="{DOCS_URL}">VESSL documentation</a></p>'
            f"<p>Keyring: {keyring}<br>"
            f"Data: {escape(str(self.ctx.data_dir))}</p>"
        )
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.open()
        return box

    # -- state ----------------------------------------------------------------------

    def _restore_state(self) -> None:
        s = self.ctx.settings
        geometry = s.value("window/geometry")
        self._restored_geometry = isinstance(geometry, QByteArray) and self.restoreGeometry(
            geometry
        )
        for key, splitter in (
            ("window/mainSplitter", self.main_splitter),
            ("window/rightSplitter", self.right_splitter),
        ):
            state = s.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        header = s.value("window/historyHeader")
        if isinstance(header, QByteArray):
            self.history_view.horizontalHeader().restoreState(header)
        if self.ctx.demo is None:
            self.composer.load(
                RequestDraft(
                    str(s.value("composer/baseUrl", "") or ""),
                    str(s.value("composer/method", "POST") or "POST"),
                    str(s.value("composer/path", "") or ""),
                    str(s.value("composer/data", EXAMPLE_DATA) or ""),
                )
            )

    def save_state(self) -> None:
        s = self.ctx.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/mainSplitter", self.main_splitter.saveState())
        s.setValue("window/rightSplitter", self.right_splitter.saveState())
        s.setValue("window/historyHeader", self.history_view.horizontalHeader().saveState())
        if self.ctx.demo is None:
            draft = self.composer.to_draft()  # never the token
            s.setValue("composer/baseUrl", draft.base_url)
            s.setValue("composer/method", draft.method)
            s.setValue("composer/path", draft.path)
            s.setValue("composer/data", draft.data)
        s.sync()

    def shutdown(self, timeout_ms: int = 2500) -> bool:
        """Stop the workers (bounded); rows keep their last known state. Idempotent."""
        self._closing = True
        if self._adds is not None:  # stored requests go to the workers, as queued sends do
            self._adds.drain()
        self.model.close()
        if self._reader is not None:
            self._reader.shutdown()
        if self.workers is None:
            return True
        return self.workers.stop(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.shutdown()
        event.accept()


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def load_settings(store: QSettings) -> AppSettings:
    store.beginGroup("settings")
    try:
        values = {key: store.value(key) for key in store.childKeys()}
    finally:
        store.endGroup()
    return AppSettings.from_mapping(values)


def save_settings(store: QSettings, settings: AppSettings) -> None:
    store.beginGroup("settings")
    for key, value in settings.to_dict().items():
        store.setValue(key, value)
    store.endGroup()
    store.sync()


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


def _same_version(entry: HistoryEntry, summary: HistorySummary) -> bool:
    """Whether ``entry`` is the stored row ``summary`` describes (no write since)."""
    return (entry.row_id, entry.updated_at, entry.state) == (
        summary.row_id,
        summary.updated_at,
        summary.state,
    )


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


def schedule_start(window: MainWindow, fallback_ms: int = 1000) -> None:
    """Start the services once the first frame is painted (or after ``fallback_ms``).

    A zero timer set before ``exec()`` runs before the first paint (tests/benchmarks
    B1), so the threads, httpx and the keyring would delay the window.
    """
    _AfterFirstPaint(window, window.start_services)
    QTimer.singleShot(fallback_ms, lambda: None if window._closing else window.start_services())


__all__ = ["AppContext", "DemoService", "MainWindow", "after_first_paint", "schedule_start"]
