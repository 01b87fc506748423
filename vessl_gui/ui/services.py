"""Services (profiles), saved requests, drafts, and code in/out for the composer.

:class:`ServiceBar` is the row of widgets above the composer's form
(``profileCombo``, saved requests, and a notice offering to save a new base
URL as a service).  :class:`ServicesController` wires it to the core
:class:`~vessl_gui.core.profiles.ProfileStore` and the window: switching
service, saving/loading requests, the autosaved draft, import from curl and
copy as curl/Python.  Dialogs go through ``ask_*``/``confirm`` methods so
tests can answer them.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSignalBlocker, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core import errors
from vessl_gui.core.models import ClientConfig, RequestDraft
from vessl_gui.core.profiles import Draft, Profile, ProfileStore
from vessl_gui.core.validation import (
    MAX_TIMEOUT,
    MIN_TIMEOUT,
    ca_bundle_problem,
    normalize_base_url,
    validate_draft,
)

if TYPE_CHECKING:
    from vessl_gui.ui.main_window import MainWindow

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 1000
NO_SERVICE = "— no saved service —"


class ServiceBar(QWidget):
    """Service switcher, saved requests and the "save as service" notice (no logic)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.setAccessibleName("Service")
        self.profile_combo.setToolTip("Your saved VESSL services (name and base URL)")
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profile_menu_button = QToolButton()
        self.profile_menu_button.setObjectName("profileMenuButton")
        self.profile_menu_button.setText("Service ▾")
        self.profile_menu_button.setAccessibleName("Service actions")
        self.profile_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.saved_combo = QComboBox()
        self.saved_combo.setObjectName("savedCombo")
        self.saved_combo.setAccessibleName("Saved requests")
        self.saved_combo.setToolTip("Saved requests of this service: pick one to load it")
        self.saved_combo.setMinimumContentsLength(12)
        self.saved_menu_button = QToolButton()
        self.saved_menu_button.setObjectName("savedMenuButton")
        self.saved_menu_button.setText("Saved ▾")
        self.saved_menu_button.setAccessibleName("Saved request actions")
        self.saved_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        self.notice = QLabel()
        self.notice.setObjectName("serviceNotice")
        self.notice.setWordWrap(True)
        self.notice_button = QPushButton("Save as service…")
        self.notice_button.setObjectName("saveAsServiceButton")
        self.notice_box = QWidget()
        notice_layout = QHBoxLayout(self.notice_box)
        notice_layout.setContentsMargins(0, 0, 0, 0)
        notice_layout.addWidget(self.notice, 1)
        notice_layout.addWidget(self.notice_button)
        self.notice_box.hide()

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        label = QLabel("&Service")
        label.setBuddy(self.profile_combo)
        saved_label = QLabel("Sa&ved")
        saved_label.setBuddy(self.saved_combo)
        grid.addWidget(label, 0, 0)
        grid.addWidget(self.profile_combo, 0, 1)
        grid.addWidget(self.profile_menu_button, 0, 2)
        grid.addWidget(saved_label, 1, 0)
        grid.addWidget(self.saved_combo, 1, 1)
        grid.addWidget(self.saved_menu_button, 1, 2)
        grid.setColumnStretch(1, 1)
        self.profile_menu_button.setText("Service…")
        self.saved_menu_button.setText("Request…")
        for combo in (self.profile_combo, self.saved_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(grid)
        layout.addWidget(self.notice_box)


class ServiceDialog(QDialog):
    """A service's base URL, TLS verification, CA bundle and timeouts."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        # Imported here: their Python types (and enums) cost start-up time.
        from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QDoubleSpinBox

        super().__init__(parent)
        self.setObjectName("serviceDialog")
        self.setWindowTitle(f"Service {profile.name}")
        self._profile = profile
        self.base_url = QLineEdit(profile.base_url)
        self.verify = QCheckBox("Verify TLS certificates (recommended)")
        self.verify.setChecked(profile.verify_tls)
        self.ca_bundle = QLineEdit(profile.ca_bundle or "")
        self.ca_bundle.setPlaceholderText("PEM file of a private certificate authority (optional)")
        self.connect_timeout = QDoubleSpinBox()
        self.read_timeout = QDoubleSpinBox()
        for box, value in (
            (self.connect_timeout, profile.connect_timeout),
            (self.read_timeout, profile.read_timeout),
        ):
            box.setRange(MIN_TIMEOUT, MAX_TIMEOUT)
            box.setDecimals(1)
            box.setSuffix(" s")
            box.setValue(value)
        form = QFormLayout(self)
        form.addRow("Base URL", self.base_url)
        form.addRow("", self.verify)
        form.addRow("CA bundle", self.ca_bundle)
        form.addRow("Connect timeout", self.connect_timeout)
        form.addRow("Read timeout", self.read_timeout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def edited(self) -> Profile:
        return replace(
            self._profile,
            base_url=self.base_url.text().strip(),
            verify_tls=self.verify.isChecked(),
            ca_bundle=self.ca_bundle.text().strip() or None,
            connect_timeout=self.connect_timeout.value(),
            read_timeout=self.read_timeout.value(),
        )


class ServicesController(QObject):
    """Profiles, saved requests, drafts and code in/out for the main window."""

    def __init__(self, window: MainWindow, store: ProfileStore, bar: ServiceBar) -> None:
        super().__init__(window)
        self.w = window
        self.store = store
        self.bar = bar
        self._loading = False
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)

        pm = QMenu(bar)
        self.add_action = self._act(pm, "&Add service…", self.add_service, "addServiceAction")
        self.edit_action = self._act(
            pm, "&Edit (base URL, TLS, timeouts)…", self.edit_service, "editServiceAction"
        )
        self.rename_action = self._act(pm, "&Rename…", self.rename_service, "renameServiceAction")
        self.duplicate_action = self._act(
            pm, "&Duplicate", self.duplicate_service, "duplicateServiceAction"
        )
        self.delete_action = self._act(pm, "De&lete…", self.delete_service, "deleteServiceAction")
        bar.profile_menu_button.setMenu(pm)
        sm = QMenu(bar)
        self.save_action = self._act(sm, "&Save request…", self.save_request, "saveRequestAction")
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(self.save_action)
        self.rename_saved_action = self._act(sm, "&Rename…", self.rename_saved, "renameSaved")
        self.delete_saved_action = self._act(sm, "&Delete…", self.delete_saved, "deleteSaved")
        sm.addSeparator()
        self.export_action = self._act(
            sm, "&Export saved requests…", self.export_saved, "exportSavedAction"
        )
        self.import_action = self._act(
            sm, "&Import saved requests…", self.import_saved, "importSavedAction"
        )
        bar.saved_menu_button.setMenu(sm)

        bar.profile_combo.currentIndexChanged.connect(self._on_profile_chosen)
        bar.saved_combo.activated.connect(self._on_saved_chosen)
        bar.notice_button.clicked.connect(self.save_as_service)
        c = window.composer
        c.base_url_edit.textEdited.connect(self._maybe_import_from_base_url)
        for signal in (
            c.base_url_edit.textChanged,
            c.method_combo.currentTextChanged,
            c.path_edit.textChanged,
            c.data_editor.textChanged,
        ):
            signal.connect(self._schedule_draft)
        self.refresh_profiles()

    @staticmethod
    def _act(menu: QMenu, text: str, slot: object, name: str) -> QAction:
        action = menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    # -- dialogs (replaced in tests) ----------------------------------------------

    # The dialog classes are imported when first used: at start-up their Python types
    # (and enums) would delay the first frame.

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        from PySide6.QtWidgets import QInputDialog

        value, ok = QInputDialog.getText(self.w, title, label, text=text)
        return value if ok else None

    def ask_multiline(self, title: str, label: str) -> str | None:
        from PySide6.QtWidgets import QInputDialog

        value, ok = QInputDialog.getMultiLineText(self.w, title, label)
        return value if ok else None

    def confirm(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self.w, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_open_path(self, title: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getOpenFileName(self.w, title, "", "JSON (*.json);;All files (*)")[0]

    def ask_save_path(self, title: str, suggested: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getSaveFileName(self.w, title, suggested, "JSON (*.json)")[0]

    def _say(self, text: str, timeout: int = 8000) -> None:
        self.w.statusBar().showMessage(text, timeout)

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
        self.refresh_saved()

    def _update_actions(self) -> None:
        has = self.current() is not None
        for action in (
            self.edit_action,
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
            self._restore_draft(None)
        if self.store.notice:
            self._say(self.store.notice, 0)

    @Slot(int)
    def _on_profile_chosen(self, _index: int) -> None:
        self.save_draft_now()
        profile = self.current()
        self.store.set_last_profile_id(profile.id if profile else None)
        self._apply_profile(profile, restore_draft=True)
        self._update_actions()
        self.refresh_saved()

    def _apply_profile(self, profile: Profile | None, *, restore_draft: bool) -> None:
        self._loading = True
        try:
            if profile is not None:
                self.w.composer.base_url_edit.setText(profile.base_url)
                self.w._on_base_url_committed(profile.base_url)
            if restore_draft:
                self._restore_draft(profile.id if profile else None)
        finally:
            self._loading = False
        self.bar.notice_box.hide()

    def client_config(self, base_url: str, default: ClientConfig) -> ClientConfig:
        """A service's own TLS and timeouts when the base URL is a saved service's."""
        for p in self.store.find_by_base_url(base_url):
            return ClientConfig(p.timeouts(), verify=p.verify_tls, ca_bundle=p.ca_bundle)
        return default

    def check_base_url(self, text: str) -> None:
        """Offer to save a base URL that is not a saved service yet (a notice, no dialog)."""
        try:
            base = normalize_base_url(text)
        except errors.ValidationError:
            self.bar.notice_box.hide()
            return
        if self.store.find_by_base_url(base) or (
            self.w.ctx.demo and base == self.w.ctx.demo.base_url
        ):
            self.bar.notice_box.hide()
            return
        self.bar.notice.setText(f"{base} is not one of your saved services.")
        self.bar.notice_box.show()

    @Slot()
    def save_as_service(self) -> None:
        try:
            base = normalize_base_url(self.w.composer.base_url_edit.text())
        except errors.ValidationError as exc:
            self.w.composer.show_errors(exc)
            return
        self._create(base)

    @Slot()
    def add_service(self) -> None:
        text = self.w.composer.base_url_edit.text()
        url = self.ask_text("Add service", "Base URL of the service:", text)
        if url is None:
            return
        try:
            base = normalize_base_url(url)
        except errors.ValidationError as exc:
            self._say(f"Service not added: {exc.fields[0].message}", 0)
            return
        self._create(base)

    def _create(self, base: str) -> Profile | None:
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
        dialog = ServiceDialog(profile, self.w)
        return dialog.edited() if dialog.exec() == QDialog.DialogCode.Accepted else None

    @Slot()
    def edit_service(self) -> None:
        p = self.current()
        if p is None:
            return
        edited = self.edit_profile_dialog(p)
        if edited is None:
            return
        problem = ca_bundle_problem(edited.ca_bundle) if edited.ca_bundle else None
        if problem:
            self._say(f"Service not changed: {problem}", 0)
            return
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
            self.store.delete_profile(p.id)
        except errors.StorageError as exc:
            self._say(f"Not deleted: {exc.message}", 0)
            return
        self.refresh_profiles(select="")
        self._say(f"Deleted the service {p.name}.")

    # -- saved requests -------------------------------------------------------------

    def refresh_saved(self, select: str | None = None) -> None:
        combo = self.bar.saved_combo
        p = self.current()
        with QSignalBlocker(combo):
            combo.clear()
            items = self.store.saved_requests(p.id) if p else []
            combo.addItem(f"{len(items)} saved" if p else "(choose a service)", None)
            for s in items:
                combo.addItem(s.name, s.id)
                combo.setItemData(
                    combo.count() - 1, f"{s.method} {s.path}", Qt.ItemDataRole.ToolTipRole
                )
            combo.setCurrentIndex(max(0, combo.findData(select)) if select else 0)
        for action in (
            self.rename_saved_action,
            self.delete_saved_action,
            self.export_action,
            self.import_action,
        ):
            action.setEnabled(p is not None)

    @Slot(int)
    def _on_saved_chosen(self, index: int) -> None:
        rid = self.bar.saved_combo.itemData(index)
        saved = self.store.saved_request(rid) if isinstance(rid, str) else None
        if saved is None:
            return
        c = self.w.composer
        c.method_combo.setCurrentText(saved.method or "POST")
        c.path_edit.setText(saved.path)
        c.data_editor.setPlainText(saved.data)
        self._say(f"Loaded the saved request {saved.name}.")

    @Slot()
    def save_request(self) -> None:
        p = self.current()
        if p is None:
            base_text = self.w.composer.base_url_edit.text()
            try:
                base = normalize_base_url(base_text)
            except errors.ValidationError:
                self._say("Save a service first (Service ▾ → Add service).", 0)
                return
            p = self._create(base)
            if p is None:
                return
        chosen = self.bar.saved_combo.currentData()
        old = self.store.saved_request(chosen) if isinstance(chosen, str) else None
        name = self.ask_text("Save request", "Name:", old.name if old else "")
        if name is None:
            return
        draft = self.w.composer.to_draft()
        try:
            saved = self.store.save_request(p.id, name, draft.method, draft.path, draft.data)
        except (errors.ValidationError, errors.StorageError) as exc:
            self._say(f"Not saved: {exc.message}", 0)
            return
        self.refresh_saved(select=saved.id)
        self._say(f"Saved the request {saved.name}.")

    def _chosen_saved(self) -> str | None:
        rid = self.bar.saved_combo.currentData()
        if not isinstance(rid, str):
            self._say("Choose a saved request first.")
            return None
        return rid

    @Slot()
    def rename_saved(self) -> None:
        rid = self._chosen_saved()
        saved = self.store.saved_request(rid) if rid else None
        if saved is None:
            return
        name = self.ask_text("Rename saved request", "New name:", saved.name)
        if name is None:
            return
        try:
            self.store.rename_request(saved.id, name)
        except (errors.ValidationError, errors.StorageError) as exc:
            self._say(f"Not renamed: {exc.message}", 0)
            return
        self.refresh_saved(select=saved.id)

    @Slot()
    def delete_saved(self) -> None:
        rid = self._chosen_saved()
        saved = self.store.saved_request(rid) if rid else None
        if saved is None or not self.confirm("Delete", f"Delete the saved request {saved.name}?"):
            return
        try:
            self.store.delete_request(saved.id)
        except errors.StorageError as exc:
            self._say(f"Not deleted: {exc.message}", 0)
            return
        self.refresh_saved()

    @Slot()
    def export_saved(self) -> None:
        p = self.current()
        if p is None:
            return
        path = self.ask_save_path("Export saved requests", f"{p.name}-requests.json")
        if not path:
            return
        try:
            Path(path).write_text(self.store.export_saved(p.id), encoding="utf-8")
        except OSError as exc:
            self._say(f"Export failed: {exc.strerror or exc} ({path})", 0)
            return
        self._say(f"Exported {len(self.store.saved_requests(p.id))} saved request(s) to {path}.")

    @Slot()
    def import_saved(self) -> None:
        p = self.current()
        if p is None:
            return
        path = self.ask_open_path("Import saved requests")
        if not path:
            return
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._say(f"Import failed: cannot read {path} ({exc})", 0)
            return
        try:
            result = self.store.import_saved(p.id, text)
        except (errors.ValidationError, errors.StorageError) as exc:
            self._say(f"Import failed: {exc.message}", 0)
            return
        self.refresh_saved()
        msg = f"Imported {result.added} new, replaced {result.replaced}."
        if result.problems:
            msg += f" Skipped {len(result.problems)}: " + "; ".join(result.problems[:3])
        self._say(msg, 0)

    # -- drafts ----------------------------------------------------------------------

    @Slot()
    def _schedule_draft(self, *_: object) -> None:
        if not self._loading:
            self._draft_timer.start()

    @Slot()
    def save_draft_now(self) -> None:
        if self._loading or self.w.ctx.demo is not None:
            return
        self._draft_timer.stop()
        d = self.w.composer.to_draft()  # the token is not part of a Draft
        p = self.current()
        try:
            self.store.save_draft(p.id if p else None, Draft(d.base_url, d.method, d.path, d.data))
        except (errors.StorageError, errors.ValidationError) as exc:
            self._say(f"Draft not saved: {exc.message}", 0)

    def _restore_draft(self, profile_id: str | None) -> None:
        if self.w.ctx.demo is not None:
            return
        try:
            draft = self.store.load_draft(profile_id)
        except errors.StorageError as exc:
            self._say(f"Draft not restored: {exc.message}", 0)
            return
        if draft is None:
            return
        self._loading = True
        try:
            c = self.w.composer
            if draft.base_url:
                c.base_url_edit.setText(draft.base_url)
            c.method_combo.setCurrentText(draft.method or "POST")
            c.path_edit.setText(draft.path)
            c.data_editor.setPlainText(draft.data)
        finally:
            self._loading = False

    # -- code in and out -------------------------------------------------------------

    @Slot(str)
    def _maybe_import_from_base_url(self, text: str) -> None:
        stripped = text.lstrip()
        if stripped.startswith(("curl ", "curl\t")) or (
            stripped.startswith(("echo ", "cat ")) and "curl" in stripped
        ):
            self.import_curl(text)

    @Slot()
    def import_curl_dialog(self) -> None:
        text = self.ask_multiline("Import from curl", "Paste a curl command:")
        if text:
            self.import_curl(text)

    def import_curl(self, text: str) -> bool:
        """Fill the composer from a curl command; report what was not understood."""
        from vessl_gui.core.snippets import parse_curl

        got = parse_curl(text)
        c = self.w.composer
        if got.kind == "unknown" or not got.base_url:
            why = "; ".join(got.problems) or "no URL found"
            self._say(f"Could not import the curl command: {why}", 0)
            return False
        self._loading = True
        try:
            c.base_url_edit.setText(got.base_url)
            if got.method is not None:
                c.method_combo.setCurrentText(got.method)
            if got.path is not None:
                c.path_edit.setText(got.path)
            if got.data is not None:
                c.data_editor.setPlainText(got.data)
        finally:
            self._loading = False
        self._schedule_draft()
        self.w._on_base_url_committed(got.base_url)
        self.check_base_url(got.base_url)
        if got.token and self.confirm(
            "Use the token from the command?",
            "The pasted command contains a token. Use it for this service and keep it in "
            "the system keyring?",
        ):
            c.token_edit.setText(got.token)
            self.w._remember_token(got.base_url, got.token)
        parts = [f"Imported a {got.kind} command for {got.base_url}."]
        if got.kind == "output" and got.request_id:
            parts.append(f"It fetches the output of {got.request_id}.")
        if got.problems:
            parts.append("Not used: " + "; ".join(got.problems))
        self._say(" ".join(parts), 0)
        return True

    def copy_composer(self, kind: str, include_token: bool = False) -> None:
        """Copy the composer's request as curl or Python (token only when asked)."""
        from vessl_gui.core import snippets

        if include_token:
            if not self.w._keyring_ready("copy-token", lambda: self.copy_composer(kind, True)):
                return
            self.w._fill_saved_token()
        draft = self.w.composer.to_draft()
        try:
            valid = validate_draft(
                RequestDraft(draft.base_url, draft.method, draft.path, draft.data, draft.token),
                require_token=include_token,
            )
        except errors.ValidationError as exc:
            self.w.composer.show_errors(exc)
            self._say("Nothing copied: please fix the marked fields.")
            return
        token = valid.token if include_token else None
        if kind == "python":
            text = snippets.python_create(valid.request, token)
        else:
            text = snippets.curl_create(valid.request, token)
        what = "Python code" if kind == "python" else "curl command"
        self.w._set_clipboard(text)
        self._say(f"Copied the {what}" + (" (with the token)" if token else "") + ".")
