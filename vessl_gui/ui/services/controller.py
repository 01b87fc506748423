"""Saved services (profiles) and saved requests, for the composer.

:class:`ServicesController` wires the :class:`~vessl_gui.ui.services.bar.ServiceBar`
to the core :class:`~vessl_gui.core.profiles.ProfileStore`: switching service,
adding/editing/renaming/deleting services, saving and loading requests, exporting
and importing them.  It owns the autosaved draft
(:class:`~vessl_gui.ui.services.drafts.DraftKeeper`) and code in/out
(:class:`~vessl_gui.ui.services.code.CodeInOut`).  Dialogs go through
``ask_*``/``confirm`` methods so tests can answer them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from vessl_gui.core import errors
from vessl_gui.core.models import ClientConfig
from vessl_gui.core.profiles import Profile, ProfileStore
from vessl_gui.core.validation import normalize_base_url
from vessl_gui.ui.composer import Composer
from vessl_gui.ui.ports import Clipboard, StatusLine, Tokens
from vessl_gui.ui.services.bar import ServiceBar
from vessl_gui.ui.services.code import CodeInOut
from vessl_gui.ui.services.dialog import ServiceDialog
from vessl_gui.ui.services.drafts import DraftKeeper
from vessl_gui.ui.services.saved import SavedRequests, menu_action
from vessl_gui.ui.services.variables import ServiceVariables

if TYPE_CHECKING:
    from vessl_gui.core.profiles.secret_values import SecretStore

log = logging.getLogger(__name__)

NO_SERVICE = "— no saved service —"


class ServicesController(QObject):
    """Profiles, saved requests, drafts and code in/out for the main window."""

    base_url_set = Signal(str)
    """The controller put a service's base URL into the composer (not typed by the user)."""

    def __init__(
        self,
        parent: QWidget,
        store: ProfileStore,
        bar: ServiceBar,
        composer: Composer,
        status: StatusLine,
        clipboard: Clipboard,
        tokens: Tokens,
        *,
        secrets: Callable[[], SecretStore],
        demo_base_url: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.store = store
        self.bar = bar
        self.composer = composer
        self.status = status
        self._demo = demo_base_url
        self.variables = ServiceVariables(
            store, status, tokens, secrets=secrets, parent_widget=parent, parent=self
        )
        self.drafts = DraftKeeper(
            store,
            composer,
            status,
            profile_id=lambda: p.id if (p := self.current()) else None,
            enabled=demo_base_url is None,
            parent=self,
        )
        self.code = CodeInOut(
            composer,
            status,
            clipboard,
            tokens,
            self.drafts,
            self,
            base_url_set=self.base_url_set.emit,
            variables_of=lambda base: (
                p.variables if (p := self.variables.profile_for(base)) else ()
            ),
            parent=self,
        )

        pm = QMenu(bar)
        self.add_action = menu_action(pm, "&Add service…", self.add_service, "addServiceAction")
        self.edit_action = menu_action(
            pm, "&Edit (base URL, TLS, timeouts)…", self.edit_service, "editServiceAction"
        )
        self.rename_action = menu_action(pm, "&Rename…", self.rename_service, "renameServiceAction")
        self.duplicate_action = menu_action(
            pm, "&Duplicate", self.duplicate_service, "duplicateServiceAction"
        )
        self.variables_action = menu_action(
            pm, "&Variables…", self.edit_variables, "variablesAction"
        )
        pm.addSeparator()
        self.delete_action = menu_action(pm, "De&lete…", self.delete_service, "deleteServiceAction")
        bar.profile_menu_button.setMenu(pm)
        self.saved = SavedRequests(
            store,
            bar,
            composer,
            status,
            self,
            current=self.current,
            create=self.create_service,
            parent=self,
        )
        self.save_action = self.saved.save_action
        parent.addAction(self.save_action)

        bar.profile_combo.currentIndexChanged.connect(self._on_profile_chosen)
        bar.notice_button.clicked.connect(self.save_as_service)
        self.variables.changed.connect(lambda: self.check_base_url(composer.base_url_edit.text()))
        self.refresh_profiles()

    # -- dialogs (replaced in tests) ----------------------------------------------

    # The dialog classes are imported when first used: at start-up their Python types
    # (and enums) would delay the first frame.

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        from PySide6.QtWidgets import QInputDialog

        value, ok = QInputDialog.getText(self.parent_widget, title, label, text=text)
        return value if ok else None

    def ask_multiline(self, title: str, label: str) -> str | None:
        from vessl_gui.ui.services.text_dialog import ask_multiline

        return ask_multiline(self.parent_widget, title, label)

    def confirm(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self.parent_widget, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_open_path(self, title: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getOpenFileName(
            self.parent_widget, title, "", "JSON (*.json);;All files (*)"
        )[0]

    def ask_save_path(self, title: str, suggested: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getSaveFileName(self.parent_widget, title, suggested, "JSON (*.json)")[0]

    def _say(self, text: str, timeout: int = 8000) -> None:
        self.status.say(text, timeout)

    # -- profiles -------------------------------------------------------------------

    def current(self) -> Profile | None:
        pid = self.bar.profile_combo.currentData()
        return self.store.profile(pid) if isinstance(pid, str) else None

    def refresh_profiles(self, select: str | None = None) -> None:
        combo = self.bar.profile_combo
        wanted = select if select is not None else combo.currentData()
        with QSignalBlocker(combo):
            combo.clear()
            combo.addItem(NO_SERVICE, None)
            for p in self.store.profiles():
                combo.addItem(p.name, p.id)
                combo.setItemData(combo.count() - 1, p.base_url, Qt.ItemDataRole.ToolTipRole)
            index = combo.findData(wanted) if wanted else 0
            combo.setCurrentIndex(max(0, index))
        self._update_actions()
        self.saved.refresh()

    def _update_actions(self) -> None:
        has = self.current() is not None
        for action in (
            self.edit_action,
            self.variables_action,
            self.rename_action,
            self.duplicate_action,
            self.delete_action,
        ):
            action.setEnabled(has)

    def restore_last(self) -> None:
        """At start: select the last used service and restore its draft."""
        last = self.store.last_profile_id
        if last and self.store.profile(last):
            self.refresh_profiles(select=last)
            self._apply_profile(self.current(), restore_draft=True)
        else:
            self.drafts.restore(None)
        if self.store.notice:
            self._say(self.store.notice, 0)

    @Slot(int)
    def _on_profile_chosen(self, _index: int) -> None:
        self.drafts.save_now()
        profile = self.current()
        self.store.set_last_profile_id(profile.id if profile else None)
        self._apply_profile(profile, restore_draft=True)
        self._update_actions()
        self.saved.refresh()

    def _apply_profile(self, profile: Profile | None, *, restore_draft: bool) -> None:
        with self.drafts.loading():
            if profile is not None:
                self.composer.base_url_edit.setText(profile.base_url)
                self.base_url_set.emit(profile.base_url)
            if restore_draft:
                self.drafts.restore(profile.id if profile else None)
        self.bar.notice_box.hide()

    def client_config(self, base_url: str, default: ClientConfig) -> ClientConfig:
        """A service's own TLS and timeouts when the base URL is a saved service's."""
        for p in self.store.find_by_base_url(base_url):
            return ClientConfig(p.timeouts(), verify=p.verify_tls, ca_bundle=p.ca_bundle)
        return default

    def check_base_url(self, text: str) -> None:
        """Offer to save a base URL that is not a saved service yet (a notice, no dialog);
        the editor then marks the ``{{name}}`` references its service lacks."""
        try:
            base = normalize_base_url(text)
        except errors.ValidationError:
            self.bar.notice_box.hide()
            self.composer.data_editor.set_variable_names(None)
            return
        self.composer.data_editor.set_variable_names(self.variables.names_for(base))
        if self.store.find_by_base_url(base) or base == self._demo:
            self.bar.notice_box.hide()
            return
        self.bar.notice.setText(f"{base} is not one of your saved services.")
        self.bar.notice_box.show()

    @Slot()
    def save_as_service(self) -> None:
        try:
            base = normalize_base_url(self.composer.base_url_edit.text())
        except errors.ValidationError as exc:
            self.composer.show_errors(exc)
            return
        self.create_service(base)

    @Slot()
    def add_service(self) -> None:
        text = self.composer.base_url_edit.text()
        url = self.ask_text("Add service", "Base URL of the service:", text)
        if url is None:
            return
        try:
            base = normalize_base_url(url)
        except errors.ValidationError as exc:
            self._say(f"Service not added: {exc.fields[0].message}", 0)
            return
        self.create_service(base)

    def create_service(self, base: str) -> Profile | None:
        suggested = base.rstrip("/").rsplit("/", 1)[-1] or "service"
        name = self.ask_text("Save service", f"A name for {base}:", suggested)
        if name is None:
            return None
        try:
            profile = self.store.add_profile(name, base)
        except (errors.ValidationError, errors.StorageError) as exc:
            self._say(f"Service not saved: {exc.message}", 0)
            return None
        self.store.set_last_profile_id(profile.id)
        self.refresh_profiles(select=profile.id)
        self._apply_profile(profile, restore_draft=False)
        self._say(f"Saved service {profile.name}.")
        return profile

    def edit_profile_dialog(self, profile: Profile) -> Profile | None:
        """Ask for a service's base URL, TLS and timeouts (replaced in tests)."""
        dialog = ServiceDialog(profile, self.parent_widget)
        return dialog.edited() if dialog.exec() == QDialog.DialogCode.Accepted else None

    @Slot()
    def edit_service(self) -> None:
        p = self.current()
        if p is None:
            return
        edited = self.edit_profile_dialog(p)
        if edited is None:
            return
        # The store checks it (a CA bundle must be a PEM file, as in the settings).
        try:
            saved = self.store.update_profile(edited)
        except (errors.ValidationError, errors.StorageError) as exc:
            self._say(f"Service not changed: {exc.message}", 0)
            return
        self.refresh_profiles(select=saved.id)
        self._apply_profile(saved, restore_draft=False)
        self._say(f"Saved the settings of {saved.name}.")

    @Slot()
    def rename_service(self) -> None:
        p = self.current()
        if p is None:
            return
        name = self.ask_text("Rename service", "New name:", p.name)
        if name is None:
            return
        try:
            self.store.rename_profile(p.id, name)
        except (errors.ValidationError, errors.StorageError) as exc:
            self._say(f"Not renamed: {exc.message}", 0)
            return
        self.refresh_profiles(select=p.id)

    @Slot()
    def duplicate_service(self) -> None:
        p = self.current()
        if p is None:
            return
        try:
            copy = self.store.duplicate_profile(p.id)
        except (errors.ValidationError, errors.StorageError) as exc:
            self._say(f"Not duplicated: {exc.message}", 0)
            return
        self.refresh_profiles(select=copy.id)
        self._say(f"Duplicated as {copy.name}.")
        self.variables.copy(p, copy)

    @Slot()
    def delete_service(self) -> None:
        p = self.current()
        if p is None:
            return
        saved = len(self.store.saved_requests(p.id))
        if not self.confirm(
            "Delete service",
            f"Delete the service {p.name} and its {saved} saved request(s)? "
            "Its history rows and its token in the keyring stay (use Forget to remove it).",
        ):
            return
        try:
            gone = self.store.delete_profile(p.id)
        except errors.StorageError as exc:
            self._say(f"Not deleted: {exc.message}", 0)
            return
        self.refresh_profiles(select="")
        self._say(f"Deleted the service {p.name}.")
        self.variables.forget(gone)

    @Slot()
    def edit_variables(self) -> None:
        """Service ▾ → Variables…: the current service's table (a new base URL is saved
        as a service first)."""
        p = self.current()
        if p is None:
            self._say("Choose or save a service first: variables belong to a service.", 0)
            return
        self.variables.edit(p)

    # -- saved requests, drafts and code (tests and the menus call these here) ---------

    def save_request(self) -> None:
        self.saved.save_request()

    def export_saved(self) -> None:
        self.saved.export_saved()

    def save_draft_now(self) -> None:
        self.drafts.save_now()

    def import_curl_dialog(self) -> None:
        self.code.import_curl_dialog()

    def import_curl(self, text: str) -> bool:
        return self.code.import_curl(text)

    def copy_composer(self, kind: str, include_token: bool = False) -> None:
        self.code.copy_composer(kind, include_token)
