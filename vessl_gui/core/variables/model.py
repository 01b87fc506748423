"""A service's variable (:class:`Variable`) and the rules a table of them must follow.

:func:`clean_variables` checks a whole table (as the service dialog's table sends
it) and names every bad row at once, in a
:class:`~vessl_gui.core.errors.ValidationError` whose fields are all
``variables`` and whose ``line`` is the 1-based row (``column`` 1: the name,
2: the value), so the dialog can mark the cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from typing import Final

from vessl_gui.core.errors import FieldError, ValidationError
from vessl_gui.core.records import record
from vessl_gui.core.text import is_valid_unicode
from vessl_gui.core.variables.names import name_problem

MAX_VALUE: Final = 65_536
"""Longest value, characters (a prompt template fits; a 5 MB payload belongs in ``data``)."""

MAX_VARIABLES: Final = 500
"""Most variables one service may have (a table a person can still read)."""

FIELD: Final = "variables"
"""The :class:`FieldError` field of every variable problem."""


@record
class Variable:
    """``name = value`` of one service; a ``secret`` value lives in the keyring.

    ``repr`` never shows the value (a secret's must not reach a log or a test
    report, and a plain one would only make it long).  In a
    :class:`~vessl_gui.core.profiles.Profile` a secret's ``value`` is always
    ``""``: read it with :func:`vessl_gui.core.profiles.read_variables`.
    """

    name: str
    value: str = field(default="", repr=False)
    secret: bool = False


def clean_variables(variables: Iterable[Variable]) -> tuple[Variable, ...]:
    """The table, checked: valid names, unique (ignoring case), valid Unicode, bounded values.

    Raises one :class:`ValidationError` naming every bad row (see the module).
    Returns the variables as given, in their order (``secret`` made a bool).
    """
    rows = tuple(variables)
    errors: list[FieldError] = []
    if len(rows) > MAX_VARIABLES:
        errors.append(
            FieldError(FIELD, f"Too many variables ({len(rows)}; at most {MAX_VARIABLES})")
        )
    seen: dict[str, str] = {}
    for row, v in enumerate(rows, start=1):
        if not isinstance(v.name, str) or not isinstance(v.value, str):
            errors.append(FieldError(FIELD, "A variable's name and value must be text", row, 1))
            continue
        problem = name_problem(v.name)
        if problem is not None:
            errors.append(FieldError(FIELD, problem, row, 1))
        else:
            folded = v.name.casefold()
            if folded in seen:
                other = seen[folded]
                same = "twice" if other == v.name else f"twice ({other!r} and {v.name!r})"
                message = (
                    f"Variable {v.name!r} is named {same}: names must differ in more than case"
                )
                errors.append(FieldError(FIELD, message, row, 1))
            else:
                seen[folded] = v.name
        if len(v.value) > MAX_VALUE:
            message = (
                f"The value of {v.name!r} is too long ({len(v.value)} characters, at most "
                f"{MAX_VALUE}); put long text in the data instead"
            )
            errors.append(FieldError(FIELD, message, row, 2))
        elif not is_valid_unicode(v.value):
            message = f"The value of {v.name!r} contains invalid Unicode (an unpaired surrogate)"
            errors.append(FieldError(FIELD, message, row, 2))
    if errors:
        raise ValidationError(errors)
    return tuple(
        v if isinstance(v.secret, bool) else Variable(v.name, v.value, bool(v.secret)) for v in rows
    )
