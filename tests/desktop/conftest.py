"""Fixtures of the desktop suites: a real X server, a window manager, the real app.

* ``desktop``: Xvfb on a free display (``-displayfd``) with evilwm, one per test module.
* ``app``: ``python -m vessl_gui --demo --data-dir DIR`` as a process of its own on that
  desktop (private data dir and XDG folders, no session bus), one per module; started
  again if a test ended it (Ctrl+Q).  After each test, a dialog the test left open is
  closed with Escape.
* ``a11y``: a desktop of its own, a private session bus (``dbus-run-session``), the
  accessibility bus, the app, and the AT-SPI client (:mod:`tests.desktop.a11y`).

They need Debian's ``xvfb xdotool xclip evilwm x11-utils`` (and ``dbus at-spi2-core
python3-pyatspi`` for AT-SPI; ``tests/system-deps.sh`` installs them).  Without them the
tests skip, saying what is missing; under ``CI=true`` they fail instead.  Every process
is stopped by its pid when the module is done.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.a11y import AGENT, SYSTEM_PYTHON, A11ySession
from tests.desktop.driver import FAILED, close_dialogs
from tests.desktop.xdesk import App, Desktop

#: Program -> the Debian package that has it.
X_TOOLS = {
    "Xvfb": "xvfb",
    "evilwm": "evilwm",
    "xdotool": "xdotool",
    "xclip": "xclip",
    "xprop": "x11-utils",
}
A11Y_TOOLS = {"dbus-run-session": "dbus", "dbus-send": "dbus"}
BUS_LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Note on the test whether it failed (a fixture then puts the app back in order)."""
    report = yield
    if report.failed:  # type: ignore[attr-defined]
        item.stash[FAILED] = True
    return report


def unusable(reason: str) -> None:
    """Skip, saying why; under ``CI=true`` fail: CI must run these tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the desktop tests: {reason}", pytrace=False)
    pytest.skip(reason)


def _missing(tools: dict[str, str]) -> list[str]:
    return [f"{tool} ({package})" for tool, package in tools.items() if not shutil.which(tool)]


def need_x() -> None:
    missing = _missing(X_TOOLS)
    if missing:
        unusable("the desktop tests need " + ", ".join(missing) + " (bash tests/system-deps.sh)")


@functools.lru_cache(maxsize=1)
def _a11y_problem() -> str:
    missing = _missing(A11Y_TOOLS)
    if not any(os.access(p, os.X_OK) for p in BUS_LAUNCHERS):
        missing.append("at-spi-bus-launcher (at-spi2-core)")
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        missing.append(f"{SYSTEM_PYTHON} (python3)")
    else:
        probe = subprocess.run(
            [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, text=True, timeout=30
        )
        if probe.returncode != 0:
            missing.append(f"pyatspi for {SYSTEM_PYTHON} (python3-pyatspi)")
    if missing:
        return "the AT-SPI tests need " + ", ".join(missing) + " (bash tests/system-deps.sh)"
    return ""


def need_a11y() -> None:
    need_x()
    problem = _a11y_problem()
    if problem:
        unusable(problem)


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    need_x()
    desk = Desktop(tmp_path_factory.mktemp("desktop")).start()
    try:
        yield desk
    finally:
        desk.stop()


class _Apps:
    """The module's app, started again when a test ended it."""

    def __init__(self, desk: Desktop, data_dir: Path) -> None:
        self.desk = desk
        self.data_dir = data_dir
        self.current: App | None = None
        self.launches = 0

    def get(self) -> App:
        if self.current is None or not self.current.alive():
            self.current = self.desk.launch_app(self.data_dir)
            self.launches += 1
        return self.current


@pytest.fixture(scope="module")
def _apps(desktop: Desktop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Apps]:
    apps = _Apps(desktop, tmp_path_factory.mktemp("vessl-data"))
    try:
        yield apps
    finally:
        if apps.current is not None:
            apps.current.quit()


@pytest.fixture
def app(_apps: _Apps) -> Iterator[App]:
    """The real app on the module's desktop (already answering keys)."""
    current = _apps.get()
    yield current
    if current.alive():
        close_dialogs(current)


@pytest.fixture(scope="module")
def a11y(tmp_path_factory: pytest.TempPathFactory) -> Iterator[A11ySession]:
    """The app on an accessibility bus, with the AT-SPI client (``a11y.call(op, ...)``)."""
    need_a11y()
    assert AGENT.exists()
    desk = Desktop(tmp_path_factory.mktemp("a11y-desktop")).start()
    try:
        session = A11ySession(desk, tmp_path_factory.mktemp("vessl-a11y-data")).start()
        try:
            yield session
        finally:
            session.close()
    finally:
        desk.stop()
