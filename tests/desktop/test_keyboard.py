"""Every shortcut of README.md's Keyboard table, pressed with real X key events.

The real app runs as a process of its own under Xvfb with a window manager
(``conftest.py``); keys go in with ``xdotool`` (XTEST), and every effect is watched
from outside (``driver.py``): the clipboard, window titles, the history file, the data
dir, the exit code.  The table is read from README.md: a row without a check here
fails :func:`test_every_readme_shortcut_has_a_check`, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.desktop.driver import SENTINEL, Keyboard, close_dialogs, failed
from tests.desktop.xdesk import ROOT, App, wait_until

pytestmark = pytest.mark.desktop

#: README Keyboard row ("keys" cell, as written) -> the test that presses it.
COVERED: dict[str, str] = {}


def covers(*rows: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(test: Callable[..., None]) -> Callable[..., None]:
        for row in rows:
            assert row not in COVERED, f"{row!r} is checked twice"
            COVERED[row] = test.__name__
        return test

    return register


def keyboard_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Keyboard\n", 1)[1].split("\n## ", 1)[0]


def readme_shortcuts() -> list[str]:
    """The "keys" cells of README.md's Keyboard table."""
    rows = [line for line in keyboard_section().splitlines() if line.startswith("|")]
    keys = [row.split("|")[1].strip() for row in rows]
    return [k for k in keys if k not in ("keys", "---")]


def readme_mnemonics() -> dict[str, str]:
    """ "Alt+B base URL, …" under the table: {"alt+b": "base URL", ...}."""
    found = re.findall(r"Alt\+([A-Z])\s+([a-zA-Z\s]+?)[,)]", keyboard_section())
    return {f"alt+{letter.lower()}": " ".join(what.split()) for letter, what in found}


#: What the data editor holds when a check begins (the demo's example, on one line).
DATA = '{"question": "How are you?"}'


@pytest.fixture
def kb(app: App, request: pytest.FixtureRequest) -> Iterator[Keyboard]:
    keyboard = Keyboard(app)
    if not app.base_url:
        app.base_url = keyboard.handshake()
    yield keyboard
    if failed(request) and app.alive():
        # A check that failed half way may have left the composer unusable for the next
        # (a tab character typed into a JSON string, a dialog open): put it back.
        close_dialogs(app)
        keyboard.set_editor(DATA)


def base_url(kb: Keyboard) -> str:
    return kb.app.base_url


# -- the table and the test stay together --------------------------------------------------


def test_every_readme_shortcut_has_a_check() -> None:
    shortcuts = readme_shortcuts()
    assert len(shortcuts) > 20, "README.md's Keyboard table was not found"
    missing = [s for s in shortcuts if s not in COVERED]
    assert not missing, f"README shortcuts without a check in {Path(__file__).name}: {missing}"
    stale = [s for s in COVERED if s not in shortcuts]
    assert not stale, f"checks of shortcuts README.md no longer lists: {stale}"
    assert set(readme_mnemonics()) == {"alt+b", "alt+t", "alt+m", "alt+p", "alt+d"}


# -- focus ------------------------------------------------------------------------------------


@covers("Ctrl+L")
def test_ctrl_l_focuses_the_base_url(kb: Keyboard) -> None:
    kb.key("alt+p")  # somewhere else first
    kb.key("ctrl+l")
    assert kb.focused_text() == base_url(kb)


def test_mnemonics_focus_their_fields(kb: Keyboard) -> None:
    texts = {"alt+b": base_url(kb), "alt+m": "POST", "alt+p": "/predictions/demo"}
    for keys, what in readme_mnemonics().items():
        kb.key("ctrl+l", keys)
        got = kb.focused_text()
        if keys == "alt+d":
            assert json.loads(got) is not None, (keys, what, got)
        elif keys == "alt+t":  # a password field copies nothing: Tab from it is Show
            assert got == SENTINEL, (keys, what, got)
            kb.key("shift+Tab")
            assert kb.focused_text() == base_url(kb), "Shift+Tab from the token"
        else:
            assert got == texts[keys], (keys, what, got)


def test_tab_walks_the_composer_in_visual_order(kb: Keyboard) -> None:
    # Text fields give their text back (Ctrl+A, Ctrl+C); the token (a password field)
    # and the buttons beside it copy nothing.  The exact stops, the service bar above
    # the base URL included, are checked over AT-SPI (test_accessibility.py).
    kb.key("ctrl+l")
    seen = [kb.focused_text()]
    for _ in range(7):
        kb.key("Tab")
        seen.append(kb.focused_text())
    assert seen[:7] == [base_url(kb), *[SENTINEL] * 4, "POST", "/predictions/demo"], seen
    assert json.loads(seen[7]) is not None, seen  # the data editor
    kb.key("ctrl+l", "shift+Tab", "Tab")  # back and forth over the service bar above it
    assert kb.focused_text() == base_url(kb)


# -- sending -----------------------------------------------------------------------------------


@covers("Ctrl+Enter")
def test_ctrl_enter_sends(kb: Keyboard) -> None:
    kb.send("/predictions/ctrl-return", "ctrl+Return")
    kb.send("/predictions/ctrl-kp-enter", "ctrl+KP_Enter")
    # From inside the data editor: it sends, and no line break is added.
    kb.set_path("/predictions/from-editor")
    text = kb.editor_text()
    before = len(kb.rows())
    kb.key("ctrl+End", "ctrl+Return")
    kb.wait_row("/predictions/from-editor", before)
    assert kb.editor_text() == text


@covers("Ctrl+Tab / Ctrl+Shift+Tab (data editor)")
def test_ctrl_tab_leaves_the_data_editor(kb: Keyboard) -> None:
    kb.set_path("/predictions/ctrl-tab")
    before = len(kb.rows())
    kb.key("alt+d", "ctrl+Tab", "space")  # Ctrl+Tab reaches Send; Space presses it
    kb.wait_row("/predictions/ctrl-tab", before)
    kb.key("alt+d", "ctrl+shift+Tab")  # back to the path field
    assert kb.focused_text() == "/predictions/ctrl-tab"


# -- the history -------------------------------------------------------------------------------


@covers("Ctrl+H", "Ctrl+C (history)")
def test_ctrl_h_then_ctrl_c_copies_the_selected_id(kb: Keyboard) -> None:
    row = kb.send("/predictions/copy-id")
    # The row just sent is selected (top row, newest first).
    assert kb.clip_after("ctrl+h", "ctrl+c") == row[4]


@covers("Ctrl+Shift+C")
def test_ctrl_shift_c_copies_the_last_id(kb: Keyboard) -> None:
    row = kb.send("/predictions/last-id")
    kb.key("ctrl+l")
    assert kb.clip_after("ctrl+shift+c") == row[4]


@covers("Ctrl+K")
def test_ctrl_k_filters_the_history(kb: Keyboard) -> None:
    rows = kb.ensure_rows(2)
    wanted = rows[-1][4]
    assert wanted
    kb.key("ctrl+k")
    kb.type(wanted)
    assert kb.focused_text() == wanted
    # Only the matching row is left: Ctrl+H, Ctrl+A (all rows shown), Ctrl+C.
    wait_until(
        lambda: kb.copied_by("ctrl+h", "ctrl+a", "ctrl+c").split() == [wanted],
        5,
        0.2,
        "the table to show only the row typed in the filter",
    )
    kb.key("ctrl+k", "BackSpace")  # Ctrl+K selects the filter's text: clear it
    total = len(kb.rows())
    wait_until(
        lambda: len(kb.copied_by("ctrl+h", "ctrl+a", "ctrl+c").split()) == total,
        5,
        0.2,
        "every row back",
    )


@covers("F5")
def test_f5_refreshes_the_selected_rows(kb: Keyboard) -> None:
    kb.ensure_rows(2)
    kb.key("ctrl+h", "ctrl+a")
    before = {r[0]: r[5] or 0 for r in kb.rows()}
    kb.key("F5")
    wait_until(
        lambda: all((r[5] or 0) > before[r[0]] for r in kb.rows() if r[0] in before),
        10,
        0.1,
        "every selected row's last_polled_at to move in the history file",
    )


@covers("Enter (history)")
def test_enter_opens_the_row_in_the_composer(kb: Keyboard) -> None:
    kb.send("/predictions/reopened")
    kb.set_path("/predictions/overwritten")
    kb.key("ctrl+h", "Home", "Return")  # the newest row
    wait_until(lambda: kb.path() == "/predictions/reopened", 5, 0.1, "the row's path")


@covers("Delete (history)")
def test_delete_asks_then_deletes_and_selects_the_next_row(kb: Keyboard) -> None:
    kb.ensure_rows(3)
    n = len(kb.rows())
    kb.key("ctrl+h", "Home", "Delete")
    kb.wait_window("Delete rows")
    kb.key("Escape")  # No: the rows stay
    kb.wait_gone("Delete rows")
    assert len(kb.rows()) == n
    newest_first = sorted(kb.rows(), key=lambda r: r[0], reverse=True)
    kb.key("ctrl+h", "Home", "Delete")
    kb.wait_window("Delete rows")
    kb.key("alt+y")
    kb.wait_gone("Delete rows")
    wait_until(lambda: len(kb.rows()) == n - 1, 5, 0.1, "the row to be deleted")
    assert newest_first[0][0] not in {r[0] for r in kb.rows()}
    # The row that took its place is selected (and shown in the details pane).
    assert kb.clip_after("ctrl+h", "ctrl+c") == newest_first[1][4]


@covers("Ctrl+C (output tree)")
def test_ctrl_c_in_the_output_tree_copies_a_value(kb: Keyboard) -> None:
    kb.send("/predictions/tree")  # selected: its output {"echo": …, "method": …, "path": …}
    # Tab leaves the history table for the details pane: its tab bar, then the tree,
    # whose root node ("output") is current.
    kb.key("ctrl+h", "Tab", "Tab")
    root = json.loads(kb.clip_after("ctrl+c"))
    assert root["path"] == "/predictions/tree", root
    # output > echo > method: a string copies as its text
    assert kb.clip_after("Down", "Down", "ctrl+c") == "POST"


@covers("Ctrl+D (history)")
def test_ctrl_d_compares_the_two_selected_rows(kb: Keyboard) -> None:
    kb.ensure_rows(2)
    kb.key("ctrl+h", "Home", "shift+Down")
    title = kb.opens_and_closes("ctrl+d", "Compare ")
    assert " and " in title, title


# -- the data editor ------------------------------------------------------------------------


@covers("Ctrl+Shift+F (data editor)", "Ctrl+Shift+M (data editor)")
def test_format_and_minify(kb: Keyboard) -> None:
    kb.set_editor('{"b":[1,2],"a":{"x":true}}')
    kb.key("ctrl+shift+f")
    wait_until(lambda: "\n" in kb.editor_text(), 5, 0.1, "the JSON to be formatted")
    formatted = kb.editor_text()
    assert json.loads(formatted) == {"b": [1, 2], "a": {"x": True}}, formatted
    kb.key("ctrl+shift+m")
    wait_until(lambda: "\n" not in kb.editor_text().strip(), 5, 0.1, "the JSON minified")
    assert json.loads(kb.editor_text()) == {"b": [1, 2], "a": {"x": True}}


@covers("Tab / Shift+Tab (data editor)")
def test_tab_indents_and_shift_tab_dedents_in_the_editor(kb: Keyboard) -> None:
    kb.set_editor('{"a": 1}')
    kb.key("ctrl+Home", "Tab")
    assert kb.editor_text() == '    {"a": 1}'
    kb.key("ctrl+Home", "shift+Tab")
    assert kb.editor_text() == '{"a": 1}'


@covers("Ctrl+O (data editor)")
def test_ctrl_o_opens_a_file_dialog(kb: Keyboard) -> None:
    kb.set_editor('{"kept": true}')
    kb.key("alt+d")
    kb.opens_and_closes("ctrl+o", "Open JSON file")
    assert kb.editor_text() == '{"kept": true}'  # cancelled: the text is unchanged


# -- the request -------------------------------------------------------------------------------


@covers("Ctrl+Shift+U", "Ctrl+Shift+I")
def test_copy_as_curl_and_import_it_back(kb: Keyboard) -> None:
    kb.set_path("/predictions/roundtrip")
    curl = kb.clip_after("ctrl+shift+u")
    assert "curl" in curl and "/predictions/roundtrip" in curl, curl
    kb.set_path("/predictions/other")
    kb.desk.set_clip(curl)
    kb.key("ctrl+shift+i")
    kb.wait_window("Import from curl")
    # The text field has the focus.  (The paste is read back from the selection Ctrl+A
    # makes, the X primary selection: the clipboard is left alone until the app has
    # fetched what it pastes.)
    kb.key("ctrl+v")
    wait_until(
        lambda: kb.key("ctrl+a") or kb.desk.clip("primary") == curl, 5, 0.2, "the pasted text"
    )
    kb.key("Tab", "Return")  # Tab leaves the field for OK, Return presses OK
    kb.wait_gone("Import from curl")
    wait_until(lambda: kb.path() == "/predictions/roundtrip", 5, 0.1, "the imported path")


@covers("Ctrl+Shift+P")
def test_ctrl_shift_p_previews_the_request(kb: Keyboard) -> None:
    kb.set_path("/predictions/preview")
    kb.set_editor('{"preview": 1}')
    kb.key("ctrl+shift+p")
    kb.wait_window("Preview of the request")
    body = wait_until(lambda: kb.focused_text(), 5, 0.1, "the previewed body")
    assert json.loads(body) == {
        "method": "POST",
        "path": "/predictions/preview",
        "data": {"preview": 1},
    }
    kb.key("Escape")
    kb.wait_gone("Preview of the request")


@covers("Ctrl+Shift+B")
def test_ctrl_shift_b_opens_the_batch_dialog(kb: Keyboard) -> None:
    kb.key("ctrl+l")
    kb.opens_and_closes("ctrl+shift+b", "Send a batch")


@covers("Ctrl+Shift+O")
def test_ctrl_shift_o_opens_follow_ids(kb: Keyboard) -> None:
    kb.key("ctrl+l")
    kb.opens_and_closes("ctrl+shift+o", "Follow requests made elsewhere")


@covers("Ctrl+S")
def test_ctrl_s_saves_a_named_request(kb: Keyboard) -> None:
    kb.set_path("/predictions/saved")
    kb.key("ctrl+s")
    wid = kb.wait_window("Save (service|request)")
    if kb.desk.window_name(wid).startswith("Save service"):  # first: name the service
        kb.key("ctrl+a")
        kb.type("keyboard-service")
        kb.key("Return")
        kb.wait_window("Save request")
    kb.type("keyboard-saved")
    kb.key("Return")
    kb.wait_gone("Save request")
    services = kb.app.data_dir / "services.json"
    wait_until(
        lambda: services.exists() and "keyboard-saved" in services.read_text(),
        5,
        0.1,
        "the saved request in services.json",
    )


# -- the window --------------------------------------------------------------------------------


@covers("Ctrl+,")
def test_ctrl_comma_opens_settings(kb: Keyboard) -> None:
    kb.opens_and_closes("ctrl+comma", "Settings")


@covers("F1")
def test_f1_lists_the_shortcuts(kb: Keyboard) -> None:
    kb.opens_and_closes("F1", "Keyboard shortcuts")


@covers("Ctrl+Q")
def test_ctrl_q_quits(kb: Keyboard) -> None:
    # Last: the next test (if any) gets a new app.
    kb.key("ctrl+q")
    assert kb.app.proc.wait(15) == 0
    assert "stopped (code 0)" in kb.app.log()
