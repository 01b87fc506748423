"""The token: a canary goes through a full session and is found nowhere it should not be.

The session runs the real app (``vessl_gui.app.main`` in a subprocess, logging
at DEBUG, default data and config dirs under a private ``HOME``): send, poll,
a 500 and a 401 whose bodies echo the token, a status check whose error
echoes it, saved service and saved request, draft, settings, history export
(JSONL, CSV), copy as curl/Python, import of a curl command carrying the
token, send again, forget and save the token.  Afterwards every file under
the data and config dirs, the exports, the clipboard contents, every text in
the window, the history rows, the log and the process arguments are scanned.

Keyring failure modes run in-process with fake backends.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend
from pytestqt.qtbot import QtBot

from tests import fakes
from tests.reliability.conftest import Report, WindowFactory
from tests.reliability.helpers import Driver, driver_env, encodings_of, find_secret
from vessl_gui.core.credentials import TokenStore
from vessl_gui.emulator import Emulator, Fault

CANARY = "cnry7Q2xZk9VwR4t"


@pytest.mark.parametrize(
    "backend", ["keyring.backends.fail.Keyring", "tests.fakes.MemoryKeyring"],
    ids=["no keyring", "working keyring"],
)  # fmt: skip
def test_canary_token_through_a_full_session(tmp_path: Path, report: Report, backend: str) -> None:
    home = tmp_path / "home"
    scan = tmp_path / "scan"
    env = driver_env(home, VESSL_GUI_DEBUG="1", PYTHON_KEYRING_BACKEND=backend)
    with Emulator(token=CANARY, queue_delay=0.05, run_time=0.05) as emu:
        emu.inject(
            "create",
            Fault.error(500, f"upstream said: Authorization: Bearer {CANARY}"),
            Fault.error(401, f"token {CANARY} is not valid for this service"),
        )
        emu.inject("output", Fault.error(500, f"cannot look up {CANARY}"))
        config = {
            "mode": "session",
            "base_url": emu.base_url,
            "token": CANARY,
            "sends": 3,
            "scan_dir": str(scan),
        }
        d = Driver.start(config, [], env)  # no --data-dir: the platform's default dirs
        pid = d.wait_event("ready", 30)["pid"]
        argv = Path(f"/proc/{pid}/cmdline").read_bytes()
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        code = d.wait_exit(120)
        received = emu.received()
    assert code == 0, (d.events[-5:], d.stderr[-30:])
    assert not d.of("fail"), d.of("fail")
    assert d.qt_messages() == []
    done = d.of("session_done")[0]
    # The token did reach the service (so it really went through the session) ...
    assert any(r.header("authorization") == f"Bearer {CANARY}" for r in received)
    # ... and nowhere else.
    for form in encodings_of(CANARY):
        assert form not in argv, "token in the process arguments"
        assert form not in environ, "token in the process environment"
    data_dir = home / "data" / "vessl-gui"
    config_dir = home / "config"
    assert (data_dir / "history.sqlite3").exists() and any(config_dir.rglob("*.conf"))
    log = data_dir / "logs" / "vessl-gui.log"
    assert log.exists()
    assert find_secret(CANARY, home, scan) == []
    assert CANARY not in "\n".join(d.stderr) and CANARY not in str(d.events)
    conn = sqlite3.connect(data_dir / "history.sqlite3")
    try:
        rows = conn.execute("SELECT * FROM history").fetchall()
    finally:
        conn.close()
    assert len(rows) == done["rows"] and rows
    assert not any(CANARY in str(v) for row in rows for v in row)
    shown = (scan / "ui-text.txt").read_text(encoding="utf-8")
    assert "••••" in shown  # the echoed token was replaced where the server's words are shown
    clips = (scan / "clipboard.txt").read_text(encoding="utf-8")
    assert "${TOKEN}" in clips  # the snippets use the shell variable, not the token
    for export in ("export.jsonl", "export.csv", "saved-requests.json"):
        assert (scan / export).exists(), export
    files = list(home.rglob("*")) + list(scan.rglob("*"))
    log_lines = log.read_text(encoding="utf-8").splitlines()
    debug = sum(" DEBUG " in line for line in log_lines)
    report.add(
        "The token",
        f"canary session ({backend.rsplit('.', 1)[0].rsplit('.', 1)[-1]} backend): "
        + ", ".join(done["features"])
        + f"; scanned {sum(f.is_file() for f in files)} files (data dir, config dir, exports, "
        f"clipboard, window texts), {len(rows)} history rows, {len(log_lines)} log lines "
        f"({debug} at DEBUG), process argv and environment: the token was found 0 times",
    )


# --------------------------------------------------------------------------- keyring failures


@fakes._unregister
class SetQuotesTokenKeyring(fakes.MemoryKeyring):
    """Reads work; saving fails with an error that quotes the password."""

    priority = 5

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"cannot store {password!r} for {username}")


FAILURES: list[tuple[str, Any, str]] = [
    ("no backend", keyring.backends.fail.Keyring, "No system keyring found"),
    ("no viable backend (empty chainer)", fakes.EmptyChainer, "No system keyring found"),
    ("backend unavailable (D-Bus down)", fakes.UnavailableKeyring, "is not available"),
    ("locked", fakes.LockedKeyring, "did not answer (KeyringLocked"),
    ("backend raises", fakes.BrokenKeyring, "did not answer (DBusException"),
    ("saving raises, quoting the token", SetQuotesTokenKeyring, "Could not save the token"),
]


@pytest.mark.parametrize(("name", "backend_cls", "needle"), FAILURES, ids=[f[0] for f in FAILURES])
def test_keyring_failure_is_explained_and_falls_back_to_the_session(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    tmp_path: Path,
    report: Report,
    name: str,
    backend_cls: type[KeyringBackend],
    needle: str,
) -> None:
    emulator.set_token(CANARY)
    backend = backend_cls()
    w = make_window(tokens=TokenStore(backend))
    c = w.composer
    c.base_url_edit.setText(emulator.base_url)
    c.token_edit.setText(CANARY)
    c.path_edit.setText("/echo")
    c.data_editor.setPlainText('{"a": 1}')
    c.base_url_edit.editingFinished.emit()
    messages = [c.token_status.text()]
    w.save_token()
    messages.append(c.token_status.text())
    w.send()
    messages.append(c.token_status.text())
    qtbot.waitUntil(
        lambda: w.model.summary_at(0) is not None and w.model.summary_at(0).state == "completed",
        timeout=10000,
    )  # the status checks used the session token
    final = c.token_status.text()
    assert needle in final, final
    assert "session only" in final, final
    assert all(CANARY not in m for m in messages), messages
    assert CANARY not in w.statusBar().currentMessage()
    w.save_state()
    w.shutdown()
    assert find_secret(CANARY, tmp_path) == []  # never a plaintext file
    # A new start knows nothing of the token: it was never written anywhere.
    w2 = make_window(tokens=TokenStore(backend))
    w2.composer.base_url_edit.setText(emulator.base_url)
    w2.composer.base_url_edit.editingFinished.emit()
    assert w2.composer.token_edit.text() == ""
    report.add("Keyring failure modes", f"{name}: {final!r}")


def test_a_backend_error_quoting_the_token_is_scrubbed() -> None:
    """The core scrubs a backend's error that quotes the password (the UI shows it)."""
    store = TokenStore(SetQuotesTokenKeyring())
    with pytest.raises(Exception) as info:
        store.set("https://x.example/api/v1/services/s", CANARY)
    assert CANARY not in str(info.value)
    assert info.value.__context__ is None and info.value.__cause__ is None


def test_the_no_keyring_line_says_session_only_once(
    make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window(tokens=TokenStore(keyring.backends.fail.Keyring()))
    w.composer.base_url_edit.setText(emulator.base_url)
    w.composer.base_url_edit.editingFinished.emit()
    assert w.composer.token_status.text().count("session only") == 1
