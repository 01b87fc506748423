"""*History ▸ Follow ids…*: the dialog where ids made elsewhere are pasted and previewed.

The user picks a service (a saved one, or a base URL), pastes text (one id a line,
or anything holding ids: a curl answer, a log, URLs) and sees at once what will be
followed (:func:`~vessl_gui.core.follow.pick_ids`): each id with a tick, the ids
the history has already (unticked, said so), words of the text that match the id
pattern but look like words (unticked, to add by hand), repeats, and the words that
look like ids but are not, with the reason.  A token after ``Bearer``/``token`` is
never listed.  Nothing is
followed until the user presses *Follow*.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core import errors
from vessl_gui.core.follow import Picked, pick_ids
from vessl_gui.core.validation import normalize_base_url
from vessl_gui.ui.background import Done, Runner


class FollowDialog(QDialog):
    """Ids to follow at a service (``objectName`` ``followDialog``).

    ``services`` are (label, base URL) pairs for the combo; ``known(ids, base_url)``
    says which ids the history has already.
    """

    def __init__(
        self,
        services: list[tuple[str, str]],
        base_url: str,
        known: Callable[[list[str], str], set[str]],
        parent: QWidget | None = None,
        text: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("followDialog")
        self.setWindowTitle("Follow requests made elsewhere")
        self.resize(560, 520)
        self._known = known
        self._picked = Picked()
        self._runner = Runner("vessl-follow-pick", self)
        layout = QVBoxLayout(self)
        service_label = QLabel("&Service (base URL):")
        self.service = QComboBox()
        self.service.setObjectName("followService")
        self.service.setAccessibleName("Service to follow the ids at")
        self.service.setEditable(True)
        line = self.service.lineEdit()
        if line is not None:  # Qt names a combo box after its text; its field needs one
            line.setAccessibleName("Base URL of the service")
        for label, url in services:
            self.service.addItem(label, url)
        self.service.setEditText(base_url)
        service_label.setBuddy(self.service)
        layout.addWidget(service_label)
        layout.addWidget(self.service)
        ids_label = QLabel(
            "&Ids: one a line, or paste any text that holds them (a curl answer, a log, URLs)"
        )
        ids_label.setWordWrap(True)
        self.text = QPlainTextEdit(text)
        self.text.setObjectName("followText")
        self.text.setAccessibleName("Pasted ids")
        self.text.setPlaceholderText('98nlux8b0eu6\n{"id": "a1b2c3"}\n…/async/x9y8z7/output')
        ids_label.setBuddy(self.text)
        layout.addWidget(ids_label)
        layout.addWidget(self.text, 2)
        self.preview = QListWidget()
        self.preview.setObjectName("followPreview")
        self.preview.setAccessibleName("Ids to follow (untick to leave out)")
        layout.addWidget(QLabel("To follow (untick what is not an id):"))
        layout.addWidget(self.preview, 2)
        self.show_words = QCheckBox("Also list the &words that match the id pattern")
        self.show_words.setObjectName("followShowWords")
        self.show_words.toggled.connect(lambda: self._show_picked(keep_ticks=True))
        layout.addWidget(self.show_words)
        self.notes = QLabel("")
        self.notes.setObjectName("followNotes")
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.follow_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.follow_button.setObjectName("followButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self.update_preview)
        self.service.editTextChanged.connect(self.update_preview)
        self.preview.itemChanged.connect(self._count)
        self.update_preview()

    def base_url(self) -> str | None:
        """The chosen service's normalised base URL, or None when it is not one."""
        index, text = self.service.currentIndex(), self.service.currentText()
        chosen = index >= 0 and self.service.itemText(index) == text  # not edited since
        url = self.service.itemData(index) if chosen else text
        try:
            return normalize_base_url(str(url))
        except errors.ValidationError:
            return None

    def update_preview(self) -> None:
        """Pick the ids out of the text (on a thread for a large paste), then list them."""
        text, base = self.text.toPlainText(), self.base_url()

        def job() -> tuple[Picked, set[str]]:
            picked = pick_ids(text)
            known = self._known(list(picked.ids), base) if base and picked.ids else set()
            return (pick_ids(text, frozenset(known)) if known else picked), known

        self._runner.submit(job, self._show, wait_ms=50, latest=True)

    def _show(self, done: Done[tuple[Picked, set[str]]]) -> None:  # (ids, known ids)
        got = done.unwrap()
        assert got is not None
        self._picked = got[0]
        self._show_picked()

    def _show_picked(self, *, keep_ticks: bool = False) -> None:
        """List the picked ids (``keep_ticks``: as the user left the ticks)."""
        picked = self._picked
        before: dict[str, bool] = {}
        if keep_ticks:
            for i in range(self.preview.count()):
                item = self.preview.item(i)
                before[str(item.data(Qt.ItemDataRole.UserRole))] = (
                    item.checkState() == Qt.CheckState.Checked
                )
        words = [c for c in picked.candidates if not c.likely and not c.known]
        self.show_words.setText(
            f"Also list the {len(words)} &word(s) of the text that match the id pattern"
        )
        self.show_words.setVisible(bool(words))
        self.preview.blockSignals(True)
        self.preview.clear()
        for c in picked.candidates:
            if not c.likely and not c.known and not self.show_words.isChecked():
                continue  # a word of the text, most likely: listed when asked
            note = ""
            if c.known:
                note = " — already in the history"
            elif not c.likely:
                note = f" — {c.why}: tick it to follow it"
            if c.count > 1:
                note += f" (given {c.count} times, followed once)"
            checked = before.get(c.id, c.likely and not c.known)
            self._add(c.id, checked, note, f"line {c.line}, column {c.column}")
        self.preview.blockSignals(False)
        notes = [picked.summary()] if picked.candidates or picked.rejected else []
        if self.base_url() is None:
            notes.append("Enter the service's base URL (or choose a saved service).")
        for r in picked.rejected[:5]:
            hint = f" (did you mean {r.suggestion}?)" if r.suggestion else ""
            notes.append(f"line {r.line}: {r.word!r}: {r.reason}{hint}")
        if len(picked.rejected) > 5 or picked.more_rejected:
            notes.append(f"… and {len(picked.rejected) - 5 + picked.more_rejected} more.")
        self.notes.setText("\n".join(notes))
        self._count()

    def _add(self, text: str, checked: bool, note: str, where: str) -> None:
        item = QListWidgetItem(text + note)
        item.setData(Qt.ItemDataRole.UserRole, text)
        item.setToolTip(where)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.preview.addItem(item)

    def ids(self) -> list[str]:
        """The ids ticked."""
        ticked = []
        for i in range(self.preview.count()):
            item = self.preview.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                ticked.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return ticked

    def _count(self, *_: object) -> None:
        n = len(self.ids())
        self.follow_button.setText(f"&Follow {n}" if n else "&Follow")
        self.follow_button.setEnabled(n > 0 and self.base_url() is not None)
