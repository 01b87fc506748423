"""Variables of a service: ``{{name}}`` in the path or in ``data``'s strings, replaced on send.

:mod:`.names` (what a variable may be called), :mod:`.model` (:class:`Variable`,
:func:`clean_variables`), :mod:`.scan` (:func:`references`: where the
``{{name}}`` are, found in the raw text), :mod:`.resolving` (:func:`resolve`,
:func:`resolve_request`: the text sent and the text history keeps).

Where the variables are stored (the services file, secrets in the keyring) is
:mod:`vessl_gui.core.profiles`'s; how copied curl and Python use them is
:mod:`vessl_gui.core.snippets.code`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vessl_gui.core.lazy import lazy_exports

if TYPE_CHECKING:
    from vessl_gui.core.variables.model import MAX_VALUE, MAX_VARIABLES, Variable, clean_variables
    from vessl_gui.core.variables.names import MAX_NAME, NAME_RE, name_problem
    from vessl_gui.core.variables.resolving import (
        Resolved,
        ResolvedRequest,
        json_fragment,
        resolve,
        resolve_request,
        unknown_references,
    )
    from vessl_gui.core.variables.scan import REFERENCE_RE, Reference, references

__getattr__ = lazy_exports(
    __name__,
    globals(),
    {
        "MAX_VALUE": "model",
        "MAX_VARIABLES": "model",
        "Variable": "model",
        "clean_variables": "model",
        "MAX_NAME": "names",
        "NAME_RE": "names",
        "name_problem": "names",
        "Resolved": "resolving",
        "ResolvedRequest": "resolving",
        "json_fragment": "resolving",
        "resolve": "resolving",
        "resolve_request": "resolving",
        "unknown_references": "resolving",
        "REFERENCE_RE": "scan",
        "Reference": "scan",
        "references": "scan",
    },
)

__all__ = [
    "MAX_NAME",
    "MAX_VALUE",
    "MAX_VARIABLES",
    "NAME_RE",
    "REFERENCE_RE",
    "Reference",
    "Resolved",
    "ResolvedRequest",
    "Variable",
    "clean_variables",
    "json_fragment",
    "name_problem",
    "references",
    "resolve",
    "resolve_request",
    "unknown_references",
]
