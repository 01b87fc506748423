"""A service's variables: the table where they are edited, and where their values come from.

*Service ▾ → Variables…* opens :class:`VariablesDialog`: a row per variable (name,
value, "secret").  A secret's value lives in the keyring (like the token) and is
shown as a blank "unchanged" field; leaving it blank keeps it.  The values are read
and written on a thread (:class:`~vessl_gui.ui.background.Runner`: the keyring may
block or prompt), so the window keeps running.

:class:`ServiceVariables` also answers the send path and the editor: which names a
base URL's service defines (:meth:`names_for`), and the variables with the values a
request needs (:meth:`values_for`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from vessl_gui.core import errors
from vessl_gui.core.profiles import Profile, ProfileStore
from vessl_gui.core.variables import Variable, name_problem
from vessl_gui.ui.ports import StatusLine, Tokens

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCheckBox, QLineEdit, QTableWidget

    from vessl_gui.core.profiles.secret_values import SecretStore, VariablesSaved, VariableValues
    from vessl_gui.ui.background import Done, Runner

SECRET_PLACEHOLDER = "saved in the keyring: leave blank to keep it"


class VariablesDialog(QDialog):
    """The variables of one service, as rows of (name, value, secret)."""

    def __init__(
        self, profile: Profile, variables: tuple[Variable, ...], parent: QWidget | None = None
    ) -> None:
        from PySide6.QtWidgets import (
            QDialogButtonBox,
            QHBoxLayout,
            QHeaderView,
            QPushButton,
            QTableWidget,
            QVBoxLayout,
        )

        super().__init__(parent)
        self.setObjectName("variablesDialog")
        self.setWindowTitle(f"Variables of {profile.name}")
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<code>{{name}}</code> in the path or inside a JSON string of the data is "
            "replaced by the value when you send. A secret value is kept in the system "
            "keyring, never in a file or the history (history keeps <code>{{name}}</code>)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table: QTableWidget = QTableWidget(0, 3)
        self.table.setObjectName("variablesTable")
        self.table.setAccessibleName("Variables")
        self.table.setHorizontalHeaderLabels(["Name", "Value", "Secret"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons_row = QHBoxLayout()
        add = QPushButton("&Add variable")
        add.setObjectName("addVariableButton")
        add.clicked.connect(lambda: self.add_row(Variable("")))
        remove = QPushButton("&Remove selected")
        remove.setObjectName("removeVariableButton")
        remove.clicked.connect(self._remove_selected)
        buttons_row.addWidget(add)
        buttons_row.addWidget(remove)
        buttons_row.addStretch(1)
        layout.addLayout(buttons_row)
        self.problem = QLabel("")
        self.problem.setObjectName("variablesProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._rows: list[tuple[QLineEdit, QLineEdit, QCheckBox]] = []
        for v in variables:
            self.add_row(v)

    def add_row(self, variable: Variable) -> None:
        from PySide6.QtWidgets import QCheckBox, QLineEdit

        row = self.table.rowCount()
        self.table.insertRow(row)
        name = QLineEdit(variable.name)
        name.setAccessibleName(f"Name of variable {row + 1}")
        value = QLineEdit(variable.value)
        value.setAccessibleName(f"Value of variable {row + 1}")
        secret = QCheckBox()
        secret.setAccessibleName(f"Variable {row + 1} is secret")
        secret.setChecked(variable.secret)
        if variable.secret and not variable.value:
            value.setPlaceholderText(SECRET_PLACEHOLDER)
        secret.toggled.connect(lambda on, v=value: _mask(v, on))
        _mask(value, variable.secret)
        name.textChanged.connect(self._check)
        self.table.setCellWidget(row, 0, name)
        self.table.setCellWidget(row, 1, value)
        self.table.setCellWidget(row, 2, secret)
        self._rows.append((name, value, secret))
        if not variable.name:
            name.setFocus()

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self._rows:
            rows = [self.table.currentRow()] if self.table.currentRow() >= 0 else []
        for row in rows:
            self.table.removeRow(row)
            del self._rows[row]
        self._check()

    def variables(self) -> list[Variable]:
        """The rows as typed (empty rows left out)."""
        out = []
        for name, value, secret in self._rows:
            n, v = name.text().strip(), value.text()
            if n or v:
                out.append(Variable(n, v, secret.isChecked()))
        return out

    def _check(self) -> bool:
        problems = []
        for i, v in enumerate(self.variables(), start=1):
            why = name_problem(v.name)
            if why:
                problems.append(f"Row {i}: {why}.")
        self.problem.setText(" ".join(problems[:3]))
        return not problems

    def _accept_if_valid(self) -> None:
        if self._check():
            self.accept()


def _mask(edit: QLineEdit, secret: bool) -> None:
    from PySide6.QtWidgets import QLineEdit

    edit.setEchoMode(QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal)


class ServiceVariables(QObject):
    """The variables of the saved services, for the dialog, the editor and Send.

    Signals:
        changed(): a service's variables were saved (the editor re-checks its names).
    """

    changed = Signal()

    def __init__(
        self,
        store: ProfileStore,
        status: StatusLine,
        tokens: Tokens,
        *,
        secrets: Callable[[], SecretStore],
        parent_widget: QWidget,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.status = status
        self.tokens = tokens
        self._secrets = secrets
        self._parent_widget = parent_widget
        self._runner: Runner | None = None
        self.dialog: VariablesDialog | None = None

    def profile_for(self, base_url: str) -> Profile | None:
        """The saved service of ``base_url`` (the first, if several share it)."""
        found = self.store.find_by_base_url(base_url)
        return found[0] if found else None

    def of(self, base_url: str) -> tuple[Variable, ...]:
        """The variables of ``base_url``'s service as saved (secret values not read)."""
        profile = self.profile_for(base_url)
        return profile.variables if profile else ()

    def names_for(self, base_url: str) -> frozenset[str]:
        """The variable names ``base_url``'s service defines (none without a service)."""
        profile = self.profile_for(base_url)
        return frozenset(v.name for v in profile.variables) if profile else frozenset()

    def values_for(self, base_url: str, names: set[str]) -> tuple[Variable, ...]:
        """The variables a request to ``base_url`` uses, with their values (secrets read
        from the keyring: call once it is open).  Raises :class:`CredentialError`
        (:class:`MissingSecretError` when a secret has no value)."""
        profile = self.profile_for(base_url)
        if profile is None:
            return ()
        from vessl_gui.core.profiles.secret_values import read_variables

        return read_variables(profile, self._secrets(), names).require()

    def uses_secrets(self, base_url: str, names: set[str]) -> bool:
        profile = self.profile_for(base_url)
        return profile is not None and any(v.secret and v.name in names for v in profile.variables)

    # -- the dialog ------------------------------------------------------------------

    def _run(self) -> Runner:
        if self._runner is None:
            from vessl_gui.ui.background import Runner

            self._runner = Runner("vessl-variables", self)
        return self._runner

    def edit(self, profile: Profile) -> None:
        """Read the service's variables (its secrets from the keyring) and open the table."""
        if not self.tokens.ready("variables", lambda: self.edit(profile)):
            return
        if not any(v.secret for v in profile.variables):
            self._open(profile, profile.variables)
            return
        from vessl_gui.core.profiles.secret_values import read_variables

        self.status.say(f"Reading the variables of {profile.name}…")
        secrets = self._secrets()
        self._run().submit(
            lambda: read_variables(profile, secrets),
            lambda done: self._read(profile, done),
        )

    def _read(self, profile: Profile, done: Done[VariableValues]) -> None:
        if isinstance(done.error, errors.CredentialError):
            self.status.say(f"The variables were not read: {done.error.message}")
            return
        values = done.unwrap()
        assert values is not None
        self.status.say("")
        # Secrets show as blank "unchanged" fields: their values never sit in a widget
        # unasked; one the keyring lost is named, to be typed again.
        shown = tuple(Variable(v.name, "", True) if v.secret else v for v in profile.variables)
        self._open(profile, shown, missing=values.missing)

    def _open(
        self, profile: Profile, variables: tuple[Variable, ...], missing: tuple[str, ...] = ()
    ) -> None:
        dialog = VariablesDialog(profile, variables, self._parent_widget)
        if missing:
            dialog.problem.setText(
                "No value in the keyring for " + ", ".join(missing) + ": type it again."
            )
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.save(profile, dialog.variables()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def save(self, profile: Profile, variables: list[Variable]) -> None:
        """Save the table: secret values into the keyring, the rest into services.json."""
        from vessl_gui.core.profiles.secret_values import save_variables

        secrets = self._secrets()
        self.status.say(f"Saving the variables of {profile.name}…")
        self._run().submit(
            lambda: save_variables(self.store, secrets, profile.id, variables),
            lambda done: self._saved(profile, len(variables), done),
        )

    def _saved(self, profile: Profile, count: int, done: Done[VariablesSaved]) -> None:
        if isinstance(done.error, errors.VesslGuiError):
            self.status.say(f"Variables not saved: {done.error.message}")
            return
        saved = done.unwrap()
        notice = saved.notice if saved is not None else None
        self.status.say(
            f"Saved {count} variable(s) of {profile.name}." + (f" {notice}" if notice else ""),
            10000,
        )
        self.changed.emit()

    def forget(self, profile: Profile) -> None:
        """A deleted service's secret values leave the keyring (on the thread)."""
        if not any(v.secret for v in profile.variables):
            return
        if not self.tokens.ready("forget-secrets", lambda: self.forget(profile)):
            return
        from vessl_gui.core.profiles.secret_values import forget_secrets

        secrets = self._secrets()
        self._run().submit(
            lambda: forget_secrets(secrets, profile),
            lambda done: self._told(done, "removing the secret values of " + profile.name),
        )

    def copy(self, source: Profile, copy: Profile) -> None:
        """A duplicated service gets its source's secret values (on the thread)."""
        if not any(v.secret for v in source.variables):
            return
        if not self.tokens.ready("copy-secrets", lambda: self.copy(source, copy)):
            return
        from vessl_gui.core.profiles.secret_values import copy_secrets

        secrets = self._secrets()

        def job() -> str | None:
            missing = copy_secrets(secrets, source, copy)
            if not missing:
                return None
            return f"{copy.name}: no value to copy for {', '.join(missing)}; set it in Variables…"

        self._run().submit(
            job, lambda done: self._told(done, f"copying the secret values to {copy.name}")
        )

    def _told(self, done: Done[str | None], doing: str) -> None:
        if isinstance(done.error, errors.VesslGuiError):
            self.status.say(f"Problem {doing}: {done.error.message}")
        elif done.error is not None:
            done.unwrap()
        elif done.value:
            self.status.say(done.value)
