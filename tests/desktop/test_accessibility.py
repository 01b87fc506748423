"""The app as a screen reader sees it, over AT-SPI (what Orca uses on Linux).

The real app runs under Xvfb with the accessibility bus, in a private session bus; an
AT-SPI client (``a11y_agent.py``, Debian's python3 with pyatspi) answers the questions
(``conftest.py``'s ``a11y`` fixture).  Checked: every control of the automation
contract by its accessible id, role and name (or its label, where a screen reader reads
that), no showing control without a name or a label (main window and dialogs), the
history table's cells, the details pane, Send pressed through the Action interface,
and the Tab chain in visual order with real Tab presses (no field keeps the focus).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.desktop.a11y import A11ySession
from tests.desktop.xdesk import wait_until
from tests.ui.window.test_main_window import ACCESSIBILITY_CONTRACT
from vessl_gui.ui.history.panel import STATUS_CHIPS

pytestmark = pytest.mark.desktop

#: objectName -> (AT-SPI role, what a screen reader says it is: its name or its label).
#: On Linux Qt names a combo box after its current text: its label (a QLabel buddy, the
#: labelled-by relation) says what it is.
CONTROLS = {
    "mainWindow": ("frame", "vessl-gui"),
    "baseUrlEdit": ("text", "Base URL"),
    "tokenEdit": ("password text", "Token"),
    "methodCombo": ("combo box", "Method"),
    "pathEdit": ("text", "Path"),
    "dataEditor": ("text", "Data (JSON)"),
    "sendButton": ("push button", "Send"),
    "copyIdButton": ("push button", "Copy last request ID"),
    "historyView": ("table", "Request history"),
    # a plain container (Qt's role for a QWidget); its name is there
    "outputView": ("filler", "Request details and output"),
    # the other controls a keyboard user meets
    "profileCombo": ("combo box", "Service"),
    "savedCombo": ("combo box", "Saved"),
    "revealTokenButton": ("check box", "Show token"),  # a checkable button
    "saveTokenButton": ("push button", "Save token in keyring"),
    "forgetTokenButton": ("push button", "Forget token"),
    "historyFilter": ("text", "Filter history"),
    "serviceFilter": ("combo box", "Service"),
    "outputTree": ("tree", "Output as a tree"),
}

#: Tab from the top of the composer: the service bar, then the form.
COMPOSER_TABS = [
    "profileCombo",
    "profileMenuButton",
    "savedCombo",
    "savedMenuButton",
    "baseUrlEdit",
    "tokenEdit",
    "revealTokenButton",
    "saveTokenButton",
    "forgetTokenButton",
    "methodCombo",
    "pathEdit",
    "dataEditor",
]
#: Ctrl+Tab out of the data editor, then Tab: Send, the history, the details pane.
LATER_TABS = [
    "sendButton",
    "copyIdButton",
    "historyFilter",
    *(f"chip{label}" for label in STATUS_CHIPS),
    "serviceFilter",
    "historyView",
    "qt_tabwidget_tabbar",  # the details pane's Output / Raw / Sent tabs
    "outputTree",
    "copyValueButton",
    "copyPathButton",
    "outputText",
    "detailsCopyIdButton",
    "copyOutputButton",
    "copyRawButton",
    "saveOutputButton",
]


def said(info: dict[str, Any]) -> set[str]:
    """The name and the labels of a control, as a reader says them (no & or colon)."""
    words = [info["name"], *info["labelled_by"]]
    return {w.replace("&", "").strip().rstrip(":").strip() for w in words if w}


def ids(stops: list[dict[str, Any] | None]) -> list[str]:
    return [s["id"] if s else "(nothing focused)" for s in stops]


def completed_row(a11y: A11ySession) -> tuple[Any, ...]:
    rows = wait_until(
        lambda: [r for r in a11y.rows() if r[1] == "completed"], 20, 0.1, "a completed row"
    )
    return rows[-1]


@pytest.fixture(scope="module")
def sent(a11y: A11ySession) -> tuple[Any, ...]:
    """A request sent by pressing Send through its Action interface (as a screen reader
    or a switch device does): the completed history row."""
    before = len(a11y.rows())
    actions = a11y.call("action", id="sendButton", action="Press")
    assert "Press" in actions
    row = wait_until(
        lambda: [r for r in a11y.rows()[before:] if r[1] == "completed" and r[4]],
        20,
        0.1,
        "the row sent by the Press action to complete",
    )[0]
    return row


def test_the_focus_starts_in_the_base_url(a11y: A11ySession) -> None:
    # (First: nothing has moved the focus yet.)  No keys: the control that has it.
    assert a11y.call("focus", keys=[])["id"] == "baseUrlEdit"


def test_every_contract_control_is_checked() -> None:
    assert set(ACCESSIBILITY_CONTRACT) <= set(CONTROLS)


@pytest.mark.parametrize("name", list(CONTROLS))
def test_control_has_its_role_and_name(a11y: A11ySession, name: str) -> None:
    role, spoken = CONTROLS[name]
    info = wait_until(lambda: a11y.call("info", ids=[name])[name], 10, 0.2, f"{name} in the tree")
    assert info["role"] == role, info
    assert spoken in said(info), info
    assert info["showing"], info
    if role not in ("frame", "filler"):
        assert info["focusable"], info


def test_no_showing_control_lacks_a_name_or_label(a11y: A11ySession) -> None:
    assert a11y.call("audit") == []


def test_press_send_through_the_action_interface(sent: tuple[Any, ...]) -> None:
    assert sent[4]  # a request id came back, and the row completed


def test_history_table_cells_read_id_and_status(a11y: A11ySession, sent: tuple[Any, ...]) -> None:
    def table() -> dict[str, Any] | None:
        t = a11y.call("table", id="historyView")
        rows = [dict(zip(t["columns"], cells, strict=True)) for cells in t["rows"]]
        mine = [r for r in rows if r.get("ID") == sent[4]]
        return {**t, "mine": mine} if mine and mine[0].get("Status") == "completed" else None

    t = wait_until(table, 10, 0.2, f"the row {sent[4]} completed in the accessible table")
    assert {"Time", "ID", "Status", "Method", "Path"} <= set(t["columns"]), t["columns"]
    assert t["mine"][0]["Path"] == sent[3]
    assert t["selected_rows"] == [0], t  # the row just sent is selected (newest first)


def test_details_pane_reads_the_selected_row(a11y: A11ySession, sent: tuple[Any, ...]) -> None:
    def details() -> dict[str, Any] | None:
        d = a11y.call("details")
        status = d["facts"].get("factStatus", {}).get("name")
        return d if status == "completed" else None

    d = wait_until(details, 10, 0.2, "the details pane to show the completed row")
    assert d["facts"]["factId"]["name"] == sent[4], d["facts"]
    assert "ID" in d["facts"]["factId"]["labelled_by"], d["facts"]["factId"]
    assert '"echo"' in d["texts"]["outputText"], d["texts"]
    tree = a11y.call("table", id="outputTree")
    assert tree["rows"][0][0] == "output", tree
    assert ["method", '"POST"', "string"] in tree["rows"], tree


def test_tab_follows_the_visual_order(a11y: A11ySession, sent: tuple[Any, ...]) -> None:
    # The mnemonic of "Service" puts the focus at the top of the composer.
    stops = a11y.call("focus_walk", start=["alt+s"], key="Tab", count=len(COMPOSER_TABS) - 1)
    assert ids(stops) == COMPOSER_TABS
    # Tab indents in the data editor; Ctrl+Tab goes on to Send.  Tab then leaves the
    # history table (it used to keep Tab for its cells) and walks the details pane.
    stops = a11y.call("focus_walk", start=["ctrl+Tab"], key="Tab", count=len(LATER_TABS))
    assert ids(stops) == [*LATER_TABS, COMPOSER_TABS[0]]  # and round to the top again
    # Shift+Tab: the same way back.
    stops = a11y.call("focus_walk", start=["alt+s"], key="shift+Tab", count=len(LATER_TABS))
    assert ids(stops) == [COMPOSER_TABS[0], *reversed(LATER_TABS)], ids(stops)
    # Ctrl+Shift+Tab leaves the data editor backwards.
    assert a11y.call("focus", keys=["alt+d", "ctrl+shift+Tab"])["id"] == "pathEdit"


def test_details_pane_stays_in_the_tab_chain_after_a_delete(
    a11y: A11ySession, sent: tuple[Any, ...]
) -> None:
    while len(a11y.rows()) < 2:  # a second row, so that one is left after the delete
        a11y.call("keys", keys=["ctrl+Return"])
        wait_until(lambda: len(a11y.rows()) >= 2, 10, 0.1, "a second row")
    completed_row(a11y)
    n = len(a11y.rows())
    a11y.call("keys", keys=["ctrl+h", "Home", "Delete"])
    wait_until(lambda: a11y.desk.windows("^Delete rows"), 10, 0.1, "the confirmation")
    a11y.call("keys", keys=["alt+y"])
    wait_until(lambda: len(a11y.rows()) == n - 1, 10, 0.1, "the row to be deleted")
    # The row that took its place is selected and shown ...
    t = wait_until(
        lambda: (t := a11y.call("table", id="historyView"))["selected_rows"] and t,
        10,
        0.2,
        "a selected row after the delete",
    )
    assert t["selected_rows"] == [0], t
    shown = a11y.call("details")["facts"]["factId"]["name"]
    assert shown == t["rows"][0][t["columns"].index("ID")]
    # ... and Tab from the history still walks the details pane.
    start = LATER_TABS.index("historyView")
    stops = a11y.call("focus_walk", start=["ctrl+h"], key="Tab", count=len(LATER_TABS) - start - 1)
    assert ids(stops) == LATER_TABS[start:]


@pytest.mark.parametrize(
    ("keys", "title"),
    [
        ("ctrl+comma", "Settings"),
        ("ctrl+shift+i", "Import from curl"),
        ("F1", "Keyboard shortcuts"),
        ("ctrl+shift+p", "Preview of the request"),
        ("ctrl+shift+o", "Follow requests made elsewhere"),
        ("ctrl+shift+b", "Send a batch"),
    ],
)
def test_dialog_controls_are_named_and_labelled(a11y: A11ySession, keys: str, title: str) -> None:
    a11y.call("keys", keys=["ctrl+l", keys])
    try:
        dialog = a11y.call("wait_dialog", title=title)
        assert dialog["fields"], dialog
        assert a11y.call("audit", dialog=title) == []
        fields = {f["id"]: f for f in dialog["fields"]}
        if title == "Settings":
            assert "CA bundle" in said(fields["caBundle"]), fields["caBundle"]
        if title == "Import from curl":
            field = fields["textDialogField"]
            assert "Paste a curl command" in said(field), field
            assert a11y.call("focus", keys=["Tab"])["name"] == "OK"  # Tab leaves the field
    finally:
        a11y.call("keys", keys=["Escape"])
        a11y.call("wait_dialog_gone", title=title)
