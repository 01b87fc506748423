"""The menu bar and the window's keyboard shortcuts (README "Keyboard").

:func:`build_menus` is handed the window as a :class:`MenuHost`: only the
widgets and slots the menus reach, so this module does not import the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QTableView

from vessl_gui.core.history import HistoryStore
from vessl_gui.core.records import record
from vessl_gui.ui.composer import Composer
from vessl_gui.ui.history.actions import HistoryActions
from vessl_gui.ui.history.model import HistoryModel
from vessl_gui.ui.services.controller import ServicesController
from vessl_gui.ui.window.selection import SelectionController
from vessl_gui.ui.window.sending import SendController
from vessl_gui.ui.window.status import StatusBarLine, SystemClipboard
from vessl_gui.ui.window.tokens import TokenController

if TYPE_CHECKING:
    from vessl_gui.ui.batch.controller import BatchController
    from vessl_gui.ui.compare.controller import CompareController
    from vessl_gui.ui.history.follow import FollowController


class MenuHost(Protocol):
    """What the menus are built from."""

    @property
    def composer(self) -> Composer: ...

    @property
    def history_view(self) -> QTableView: ...

    @property
    def model(self) -> HistoryModel: ...

    @property
    def services(self) -> ServicesController: ...

    @property
    def selection(self) -> SelectionController: ...

    @property
    def sending(self) -> SendController: ...

    @property
    def tokens(self) -> TokenController: ...

    @property
    def follow(self) -> FollowController: ...

    @property
    def batches(self) -> BatchController: ...

    @property
    def compare(self) -> CompareController: ...

    @property
    def status_line(self) -> StatusBarLine: ...

    @property
    def clipboard(self) -> SystemClipboard: ...

    @property
    def store(self) -> HistoryStore: ...

    def open_settings(self) -> None: ...

    def copy_last_id(self) -> None: ...

    def focus_base_url(self) -> None: ...

    def focus_filter(self) -> None: ...

    def show_shortcuts(self) -> None: ...

    def preview(self) -> None: ...

    def about(self) -> object: ...


@record(frozen=False)
class Menus:
    """The actions other parts of the window (and tests) reach by name."""

    send_action: QAction
    refresh_action: QAction
    copy_ids_action: QAction
    history_actions: HistoryActions


def _action(
    w: QMainWindow,
    text: str,
    slot: Callable[[], object],
    shortcuts: list[str] | None = None,
    name: str = "",
) -> QAction:
    act = QAction(w)  # not QAction(text, w): see JsonEditor._make_action
    act.setText(text)
    if shortcuts:
        act.setShortcuts([QKeySequence(s) for s in shortcuts])
    act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if name:
        act.setObjectName(name)
    act.triggered.connect(slot)
    w.addAction(act)
    return act


def build_menus(window: QMainWindow, w: MenuHost) -> Menus:
    """File, Edit, Request, History and Help, with their shortcuts (``w`` is ``window``)."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(
        _action(window, "&Settings…", w.open_settings, ["Ctrl+,"], "settingsAction")
    )
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "&Quit", window.close, ["Ctrl+Q"], "quitAction"))

    edit_menu = bar.addMenu("&Edit")
    view = w.history_view
    copy_ids = QAction(view)
    copy_ids.setText("&Copy selected IDs")
    copy_ids.setShortcut(QKeySequence.StandardKey.Copy)
    copy_ids.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    copy_ids.triggered.connect(w.selection.copy_selected_ids)
    view.addAction(copy_ids)
    edit_menu.addAction(copy_ids)
    for text, slot, keys, name in (
        ("Copy &last ID", w.copy_last_id, ["Ctrl+Shift+C"], "copyLastIdAction"),
        ("Focus &base URL", w.focus_base_url, ["Ctrl+L"], "focusBaseUrl"),
        ("Focus &history", view.setFocus, ["Ctrl+H"], "focusHistory"),
        ("&Filter history", w.focus_filter, ["Ctrl+K"], "focusFilter"),
    ):
        edit_menu.addAction(_action(window, text, slot, keys, name))
    edit_menu.addSeparator()
    editor = w.composer.data_editor
    editor.message.connect(lambda m: w.status_line.say(m, 8000))
    for act in (editor.format_action, editor.minify_action, editor.open_action):
        edit_menu.addAction(act)

    req_menu = bar.addMenu("&Request")
    send = _action(window, "&Send", w.sending.send, ["Ctrl+Return", "Ctrl+Enter"], "sendAction")
    req_menu.addAction(send)
    refresh = _action(
        window, "&Refresh status of selected", w.selection.refresh_selected, ["F5"], "refreshAction"
    )
    req_menu.addAction(refresh)
    req_menu.addAction(
        _action(
            window, "Open selected in &composer", w.selection.reopen_selected, [], "reopenAction"
        )
    )
    req_menu.addAction(
        _action(window, "Pre&view request…", w.preview, ["Ctrl+Shift+P"], "previewAction")
    )
    req_menu.addAction(
        _action(
            window,
            "Send a &batch…",
            lambda: w.batches.open_dialog(),
            ["Ctrl+Shift+B"],
            "sendBatchAction",
        )
    )
    req_menu.addAction(w.services.save_action)
    req_menu.addSeparator()
    services = w.services
    for text, slot, keys, name in (
        ("&Import from curl…", services.import_curl_dialog, ["Ctrl+Shift+I"], "importCurlAction"),
        (
            "Copy as c&url",
            lambda: services.copy_composer("curl"),
            ["Ctrl+Shift+U"],
            "copyCurlAction",
        ),
        (
            "Copy as curl (include &token)",
            lambda: services.copy_composer("curl", include_token=True),
            [],
            "copyCurlTokenAction",
        ),
        ("Copy as P&ython", lambda: services.copy_composer("python"), [], "copyPythonAction"),
    ):
        req_menu.addAction(_action(window, text, slot, keys, name))
    req_menu.addSeparator()
    req_menu.addAction(_action(window, "Sa&ve token", w.tokens.save, [], "saveTokenAction"))
    req_menu.addAction(_action(window, "&Forget token", w.tokens.forget, [], "forgetTokenAction"))

    compare = _action(
        window, "&Compare the two selected…", lambda: w.compare.compare_selected(), ["Ctrl+D"]
    )
    compare.setObjectName("compareAction")
    history = HistoryActions(
        window,
        view,
        w.model,
        w.store,
        w.selection,
        w.status_line,
        w.clipboard,
        w.tokens,
        w.sending,
        copy_ids_action=copy_ids,
        refresh_action=refresh,
        reopen=w.selection.reopen_selected,
        compare_action=compare,
    )
    view.customContextMenuRequested.connect(history.context_menu)
    history_menu = bar.addMenu("&History")
    history_menu.addAction(
        _action(
            window,
            "&Follow ids…",
            lambda: w.follow.open_dialog(),
            ["Ctrl+Shift+O"],
            "followIdsAction",
        )
    )
    history_menu.addSeparator()
    history.fill_menu(history_menu)
    history_menu.addAction(compare)

    help_menu = bar.addMenu("He&lp")  # Alt+L: Alt+H is the History menu
    help_menu.addAction(
        _action(window, "&Keyboard shortcuts", w.show_shortcuts, ["F1"], "shortcutsAction")
    )
    help_menu.addAction(_action(window, "&About vessl-gui", w.about, [], "aboutAction"))
    return Menus(send, refresh, copy_ids, history)


__all__ = ["MenuHost", "Menus", "build_menus"]
