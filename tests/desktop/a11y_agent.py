#!/usr/bin/python3
"""The AT-SPI client of tests/desktop/test_accessibility.py: the app as a screen reader
(Orca) sees it, answered as JSON.

Runs with Debian's ``/usr/bin/python3`` (pyatspi is the Debian package python3-pyatspi)
inside a private session bus, as :mod:`tests.desktop.a11y` starts it::

    dbus-run-session --config-file=bus.conf -- /usr/bin/python3 a11y_agent.py SPEC

``SPEC`` is JSON: ``{"app": [argv...], "cwd": dir, "env": {...}}``.  The agent starts
``at-spi-bus-launcher --launch-immediately`` (the accessibility bus; the registry
daemon is started by that bus itself), then the app, with
``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1`` on the xcb platform (the offscreen platform has
no AT-SPI bridge), and waits until the app's Send button is in the tree.  It prints
``{"ready": true, ...}`` and then answers one JSON request per line on stdin with one
JSON line on stdout, until stdin closes; then it stops the app and the bus launcher.

Controls are found by their Qt object name: Qt 6 exposes the chain of object names as
the accessible id (``QApplication.mainWindow.mainSplitter.composer.sendButton``).
The focus is followed as Orca follows it, through ``object:state-changed:focused``
events (searching the tree for the FOCUSED state would also find the current item of
every item view).  Keys are real X key presses (``xdotool key``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback
from typing import Any

from a11y_objects import (
    FIELD_ROLES,
    ITEM_ROLES,
    actions,
    audit_problem,
    brief,
    name_has_owner,
    object_id,
    press,
    relation,
    text_of,
    wait_until,
)

LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")


class Agent:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.launcher: subprocess.Popen[bytes] | None = None
        self.app: subprocess.Popen[bytes] | None = None
        self.focus_events: list[Any] = []
        self.focused: Any = None  # the last control that got the focus (events so far)

    # -- start and stop ------------------------------------------------------------------

    def start(self) -> dict[str, Any]:
        t0 = time.monotonic()
        launcher = next((p for p in LAUNCHERS if os.access(p, os.X_OK)), None)
        if launcher is None:
            raise RuntimeError(f"at-spi-bus-launcher not found in {LAUNCHERS}")
        # --launch-immediately: the accessibility bus now, not on first demand.  With
        # DISPLAY set the launcher also puts the bus address on the root window
        # (AT_SPI_BUS), where Qt's xcb plugin finds it.  GSETTINGS_BACKEND=memory: it
        # reads (and never writes) the toolkit-accessibility setting in memory only.
        env = dict(os.environ, GSETTINGS_BACKEND="memory")
        self.launcher = subprocess.Popen(
            [launcher, "--launch-immediately"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sys.stderr,
        )
        wait_until(lambda: name_has_owner("org.a11y.Bus"), 10, "org.a11y.Bus")
        import pyatspi  # after the bus is up (libatspi connects on first use)

        self.pyatspi = pyatspi
        pyatspi.Registry.registerEventListener(self._on_focus, "object:state-changed:focused")
        app_env = dict(os.environ)
        app_env.update(self.spec.get("env", {}))
        # The app talks to this private bus (the caller's env said "no bus").
        app_env["DBUS_SESSION_BUS_ADDRESS"] = os.environ["DBUS_SESSION_BUS_ADDRESS"]
        app_env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
        app_env["QT_QPA_PLATFORM"] = "xcb"
        self.app = subprocess.Popen(
            self.spec["app"],
            cwd=self.spec.get("cwd"),
            env=app_env,
            stdin=subprocess.DEVNULL,
            stdout=sys.stderr,
            stderr=sys.stderr,
        )
        self.app_acc = wait_until(self._find_app, 60, "the app on the accessibility bus", 0.1)
        wait_until(lambda: self.find("sendButton"), 20, "the Send button in the tree", 0.1)
        return {"ready": True, "app_pid": self.app.pid, "seconds": time.monotonic() - t0}

    def stop(self) -> None:
        for proc in (self.app, self.launcher):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    def _find_app(self) -> Any:
        if self.app is not None and self.app.poll() is not None:
            raise RuntimeError(f"the app exited ({self.app.returncode})")
        desktop = self.pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            acc = desktop.getChildAtIndex(i)
            if acc is not None and acc.get_process_id() == self.app.pid:  # type: ignore[union-attr]
                return acc
        return None

    # -- the tree ------------------------------------------------------------------------

    def walk(self, root: Any = None) -> Any:
        stack = [root or self.app_acc]
        while stack:
            acc = stack.pop()
            yield acc
            try:
                n = acc.childCount
            except Exception:  # gone
                continue
            children = []
            for i in range(n):
                try:
                    child = acc.getChildAtIndex(i)
                except Exception:
                    continue
                if child is not None:
                    children.append(child)
            stack.extend(reversed(children))

    def find(self, oid: str, root: Any = None, showing: bool | None = None) -> Any:
        for acc in self.walk(root):
            try:
                if object_id(acc) != oid:
                    continue
                if showing is not None and self.showing(acc) != showing:
                    continue
            except Exception:
                continue
            return acc
        return None

    def need(self, oid: str, root: Any = None) -> Any:
        acc = self.find(oid, root, showing=True) or self.find(oid, root)
        if acc is None:
            raise LookupError(f"no object {oid!r} in the accessibility tree")
        return acc

    def showing(self, acc: Any) -> bool:
        return bool(acc.getState().contains(self.pyatspi.STATE_SHOWING))

    def info(self, acc: Any) -> dict[str, Any]:
        p = self.pyatspi
        st = acc.getState()
        return {
            "id": object_id(acc),
            "role": acc.getRoleName(),
            "name": acc.name,
            "description": acc.description,
            "labelled_by": [t.name for t in relation(acc, "labelled-by")],
            "focusable": bool(st.contains(p.STATE_FOCUSABLE)),
            "showing": bool(st.contains(p.STATE_SHOWING)),
            "enabled": bool(st.contains(p.STATE_ENABLED)),
            "actions": actions(acc),
            "text": text_of(acc),
        }

    def dialog(self, title: str) -> Any:
        for i in range(self.app_acc.childCount):
            acc = self.app_acc.getChildAtIndex(i)
            if acc is not None and acc.getRoleName() == "dialog" and acc.name.startswith(title):
                return acc
        return None

    # -- focus -----------------------------------------------------------------------------

    def _on_focus(self, event: Any) -> None:
        if event.detail1:
            self.focus_events.append(event.source)
            try:
                if event.source.getRoleName() not in ITEM_ROLES:
                    self.focused = event.source
            except Exception:
                pass

    def pump(self, seconds: float) -> None:
        """Deliver queued AT-SPI events (libatspi dispatches them on GLib's main context;
        nothing else iterates it here)."""
        from gi.repository import GLib

        ctx = GLib.MainContext.default()
        end = time.monotonic() + seconds
        while True:
            while ctx.pending():
                ctx.iteration(False)
            if time.monotonic() > end:
                return
            time.sleep(0.01)

    def focus_after(self, keys: list[str], settle: float = 0.1, wait: float = 1.0) -> Any:
        """Press ``keys``; the control that has the focus then (the one that had it before
        when no focus event came within ``wait`` s: the keys did not move it)."""
        self.pump(0.0)
        del self.focus_events[:]
        press(keys)
        end = time.monotonic() + wait
        while not self.focus_events and time.monotonic() < end:
            self.pump(0.03)
        self.pump(settle)
        return self.focused

    # -- requests ------------------------------------------------------------------------------

    def op_info(self, ids: list[str]) -> dict[str, Any]:
        out = {}
        for oid in ids:
            acc = self.find(oid, showing=True) or self.find(oid)
            out[oid] = None if acc is None else self.info(acc)
        return out

    def op_table(self, id: str) -> dict[str, Any]:
        table = self.need(id).queryTable()
        columns = []
        for c in range(table.nColumns):
            header = table.getColumnHeader(c)
            columns.append(header.name if header is not None else table.getColumnDescription(c))
        rows = []
        for r in range(table.nRows):
            cells = []
            for c in range(table.nColumns):
                cell = table.getAccessibleAt(r, c)
                cells.append(cell.name if cell is not None else None)
            rows.append(cells)
        return {"columns": columns, "rows": rows, "selected_rows": list(table.getSelectedRows())}

    def op_details(self, id: str = "outputView") -> dict[str, Any]:
        """The showing facts (value labels, by object name) and texts under ``id``."""
        pane = self.need(id)
        facts: dict[str, Any] = {}
        texts: dict[str, Any] = {}
        for acc in self.walk(pane):
            try:
                if not self.showing(acc):
                    continue
                oid = object_id(acc)
                role = acc.getRoleName()
            except Exception:
                continue
            if role == "label" and oid.startswith("fact") and not oid.startswith("factName"):
                facts[oid] = {
                    "name": acc.name,
                    "labelled_by": [t.name for t in relation(acc, "labelled-by")],
                }
            elif role == "text":
                texts[oid or acc.name] = text_of(acc)
        return {"facts": facts, "texts": texts}

    def op_action(self, id: str, action: str) -> list[str]:
        acc = self.need(id)
        names = actions(acc)
        if action not in names:
            raise LookupError(f"{id} has no action {action!r} (it has {names})")
        acc.queryAction().doAction(names.index(action))
        return names

    def op_focus(self, keys: list[str]) -> dict[str, Any] | None:
        acc = self.focus_after(keys)
        return None if acc is None else brief(acc)

    def op_focus_walk(self, start: list[str], key: str, count: int) -> list[Any]:
        """The focus after ``start``, then after each of ``count`` presses of ``key``."""
        stops = [self.op_focus(start)]
        for _ in range(count):
            stops.append(self.op_focus([key]))
        return stops

    def op_keys(self, keys: list[str]) -> None:
        press(keys)
        self.pump(0.1)

    def op_wait_dialog(self, title: str, timeout: float = 10) -> dict[str, Any]:
        """A dialog whose name starts with ``title``, once its controls are showing."""
        dlg = wait_until(lambda: self.dialog(title), timeout, f"a dialog {title!r}", 0.1)

        def fields() -> list[dict[str, Any]]:
            out = []
            for acc in self.walk(dlg):
                try:
                    if acc.getRoleName() in FIELD_ROLES | {"push button"} and self.showing(acc):
                        out.append(self.info(acc))
                except Exception:
                    continue
            return out

        last: list[list[str]] = [[]]

        def settled() -> list[dict[str, Any]] | None:
            now = fields()  # the same controls twice in a row: all of them are there
            ids = [f"{f['role']}:{f['id']}:{f['name']}" for f in now]
            same, last[0] = ids == last[0], ids
            return now if now and same else None

        found = wait_until(settled, timeout, f"the controls of {title!r}", 0.1)
        return {"name": dlg.name, "fields": found}

    def op_wait_dialog_gone(self, title: str, timeout: float = 10) -> None:
        wait_until(lambda: self.dialog(title) is None, timeout, f"{title!r} to close", 0.1)

    def op_audit(self, dialog: str | None = None) -> list[dict[str, Any]]:
        """Every showing control without a name or label, every combo box without a
        label (Qt on Linux names a combo box after its current text), every label that
        sits before a field without a name and is not tied to it."""
        root = self.dialog(dialog) if dialog else self.app_acc
        if root is None:
            raise LookupError(f"no dialog {dialog!r}")
        problems = []
        for acc in self.walk(root):
            try:
                if not self.showing(acc):
                    continue
                problem = audit_problem(acc)
            except Exception:  # went away
                continue
            if problem is not None:
                problems.append(problem)
        return problems


def main() -> int:
    spec = json.loads(sys.argv[1])
    agent = Agent(spec)
    out = sys.stdout
    try:
        try:
            hello = agent.start()
        except Exception as exc:
            traceback.print_exc()
            out.write(json.dumps({"ready": False, "error": f"{type(exc).__name__}: {exc}"}) + "\n")
            out.flush()
            return 1
        out.write(json.dumps(hello) + "\n")
        out.flush()
        for line in sys.stdin:
            request = json.loads(line)
            op = request.pop("op")
            try:
                answer = {"ok": True, "result": getattr(agent, f"op_{op}")(**request)}
            except Exception as exc:
                traceback.print_exc()
                answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            out.write(json.dumps(answer, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        agent.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
