"""What the AT-SPI client (``a11y_agent.py``) reads off accessible objects, as plain
functions of pyatspi objects: names, relations, text, actions, the checks of an audit.

Debian's ``/usr/bin/python3`` runs it (imported from the agent's own folder).
"""

from __future__ import annotations

import subprocess
import time
from typing import Any

#: Roles a user enters or operates (a showing one needs a name or a label).
FIELD_ROLES = {
    "text",
    "password text",
    "combo box",
    "spin button",
    "check box",
    "list",
    "table",
    "tree",
    "tree table",
    "slider",
    "radio button",
    "entry",
    "editbar",
}
ACTIVE_ROLES = FIELD_ROLES | {"push button", "toggle button", "page tab"}
#: Qt marks the current item of every item view FOCUSED, focused view or not.
ITEM_ROLES = {"list item", "page tab", "table cell", "tree item"}


def wait_until(pred: Any, timeout: float, what: str, step: float = 0.05) -> Any:
    end = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            last = pred()
        except Exception as exc:  # the object may not be there yet
            last = exc
        else:
            if last:
                return last
        if time.monotonic() > end:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")
        time.sleep(step)


def name_has_owner(name: str) -> bool:
    out = subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            f"string:{name}",
        ],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout
    return "boolean true" in out


def object_id(acc: Any) -> str:
    """The object name: the last part of Qt's accessible id."""
    try:
        return (acc.accessibleId or "").rsplit(".", 1)[-1]
    except Exception:
        return ""


def acc_path(acc: Any) -> str:
    try:
        return acc.accessibleId or ""
    except Exception:
        return ""


def brief(acc: Any) -> dict[str, Any]:
    try:
        return {"id": object_id(acc), "role": acc.getRoleName(), "name": acc.name}
    except Exception as exc:
        return {"id": "?", "role": "?", "name": repr(exc)}


def relation(acc: Any, nick: str) -> list[Any]:
    out = []
    try:
        for rel in acc.getRelationSet():
            if rel.getRelationType().value_nick == nick:
                out += [rel.getTarget(i) for i in range(rel.getNTargets())]
    except Exception:
        pass
    return out


def text_of(acc: Any) -> str | None:
    try:
        text = acc.queryText()
    except NotImplementedError:
        return None
    return str(text.getText(0, -1))


def actions(acc: Any) -> list[str]:
    try:
        action = acc.queryAction()
    except NotImplementedError:
        return []
    return [action.getName(i) for i in range(action.nActions)]


def next_field(label: Any) -> Any:
    """The field right after ``label`` in its parent (or first in the container there)."""
    try:
        parent = label.parent
        nxt = parent.getChildAtIndex(label.getIndexInParent() + 1) if parent else None
        if nxt is not None and nxt.getRoleName() in ("filler", "panel"):
            kids = [nxt.getChildAtIndex(k) for k in range(min(nxt.childCount, 3))]
            nxt = next((k for k in kids if k is not None and k.getRoleName() in FIELD_ROLES), nxt)
        if nxt is not None and nxt.getRoleName() in FIELD_ROLES:
            return nxt
    except Exception:
        pass
    return None


def press(keys: list[str]) -> None:
    if keys:
        subprocess.run(["xdotool", "key", "--delay", "30", *keys], check=True, timeout=30)


def audit_problem(acc: Any) -> dict[str, Any] | None:
    """What is wrong with a showing control for a screen reader (None: nothing): no
    name and no label; a combo box without a label (Qt on Linux names a combo box
    after its current text); a label right before a field that has no name of its own
    (or is a combo box) and is not tied to that field."""
    role = acc.getRoleName()
    name = acc.name
    labelled = relation(acc, "labelled-by")
    where = {"id": object_id(acc), "role": role, "name": name, "path": acc_path(acc)}
    if role in ACTIVE_ROLES and not name and not labelled:
        return {**where, "problem": "no accessible name and no label"}
    if role == "combo box" and not labelled:
        return {**where, "problem": "combo box without a label"}
    if role == "label" and name and not relation(acc, "label-for"):
        field = next_field(acc)
        if (
            field is not None
            and not relation(field, "labelled-by")
            and (not field.name or field.getRoleName() == "combo box")
        ):
            return {
                **where,
                "problem": f"label not tied to the field after it: "
                f"{object_id(field)} ({field.getRoleName()} {field.name!r})",
            }
    return None
