"""A service's saved requests: the "Saved" combo and its menu, save/rename/delete,
export to and import from a JSON file (no token, no base URL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSignalBlocker, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from vessl_gui.core import errors
from vessl_gui.core.profiles import Profile, ProfileStore
from vessl_gui.core.validation import normalize_base_url
from vessl_gui.ui.composer import Composer
from vessl_gui.ui.ports import StatusLine
from vessl_gui.ui.services.bar import ServiceBar


class Asking(Protocol):
    """The dialogs saved requests need (the services controller's, replaced in tests)."""

    def ask_text(self, title: str, label: str, text: str = "") -> str | None: ...

    def confirm(self, title: str, text: str) -> bool: ...

    def ask_open_path(self, title: str) -> str: ...

    def ask_save_path(self, title: str, suggested: str) -> str: ...


def menu_action(menu: QMenu, text: str, slot: object, name: str) -> QAction:
    """An action added to ``menu``, named ``name`` (object name) and wired to ``slot``."""
    action = menu.addAction(text)
    action.setObjectName(name)
    action.triggered.connect(slot)
    return action


class SavedRequests(QObject):
    """The saved requests of the current service (no signals).

    ``current()`` is the service chosen in the bar; ``create(base_url)`` asks for a
    name and saves a new service (None when the user cancels).
    """

    def __init__(
        self,
        store: ProfileStore,
        bar: ServiceBar,
        composer: Composer,
        status: StatusLine,
        asking: Asking,
        *,
        current: Callable[[], Profile | None],
        create: Callable[[str], Profile | None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.bar = bar
        self.composer = composer
        self.status = status
        self.asking = asking
        self._current = current
        self._create = create
        sm = QMenu(bar)
        self.save_action = menu_action(sm, "&Save request…", self.save_request, "saveRequestAction")
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.rename_saved_action = menu_action(sm, "&Rename…", self.rename_saved, "renameSaved")
        self.delete_saved_action = menu_action(sm, "&Delete…", self.delete_saved, "deleteSaved")
        sm.addSeparator()
        self.export_action = menu_action(
            sm, "&Export saved requests…", self.export_saved, "exportSavedAction"
        )
        self.import_action = menu_action(
            sm, "&Import saved requests…", self.import_saved, "importSavedAction"
        )
        bar.saved_menu_button.setMenu(sm)
        bar.saved_combo.activated.connect(self._on_saved_chosen)

    def _say(self, text: str, timeout: int = 8000) -> None:
        self.status.say(text, timeout)

    def refresh(self, select: str | None = None) -> None:
        combo = self.bar.saved_combo
        p = self._current()
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
        c = self.composer
        c.method_combo.setCurrentText(saved.method or "POST")
        c.path_edit.setText(saved.path)
        c.data_editor.setPlainText(saved.data)
        self._say(f"Loaded the saved request {saved.name}.")

    @Slot()
    def save_request(self) -> None:
        p = self._current()
        if p is None:
            base_text = self.composer.base_url_edit.text()
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
        name = self.asking.ask_text("Save request", "Name:", old.name if old else "")
        if name is None:
            return
        draft = self.composer.to_draft()
        try:
            saved = self.store.save_request(p.id, name, draft.method, draft.path, draft.data)
        except (errors.ValidationError, errors.StorageError) as exc:
            self._say(f"Not saved: {exc.message}", 0)
            return
        self.refresh(select=saved.id)
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
        name = self.asking.ask_text("Rename saved request", "New name:", saved.name)
        if name is None:
            return
        try:
            self.store.rename_request(saved.id, name)
        except (errors.ValidationError, errors.StorageError) as exc:
            self._say(f"Not renamed: {exc.message}", 0)
            return
        self.refresh(select=saved.id)

    @Slot()
    def delete_saved(self) -> None:
        rid = self._chosen_saved()
        saved = self.store.saved_request(rid) if rid else None
        if saved is None or not self.asking.confirm(
            "Delete", f"Delete the saved request {saved.name}?"
        ):
            return
        try:
            self.store.delete_request(saved.id)
        except errors.StorageError as exc:
            self._say(f"Not deleted: {exc.message}", 0)
            return
        self.refresh()

    @Slot()
    def export_saved(self) -> None:
        p = self._current()
        if p is None:
            return
        path = self.asking.ask_save_path("Export saved requests", f"{p.name}-requests.json")
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
        p = self._current()
        if p is None:
            return
        path = self.asking.ask_open_path("Import saved requests")
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
        self.refresh()
        msg = f"Imported {result.added} new, replaced {result.replaced}."
        if result.problems:
            msg += f" Skipped {len(result.problems)}: " + "; ".join(result.problems[:3])
        self._say(msg, 0)
