"""What the window leaves until after its first frame (tests/benchmarks B1).

The details pane's content is built when first needed or in the first idle moment after the
services start, the dialogs and rarely used modules are imported when first needed, and the
app icon is set once the first frame is painted. The module checks run in a fresh interpreter:
this test process has long imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory
from vessl_gui.core.models import AsyncRequest
from vessl_gui.resources import HICOLOR_SIZES
from vessl_gui.ui.output.empty import PLACEHOLDER
from vessl_gui.ui.output.view import OutputView
from vessl_gui.ui.window import after_first_paint

ROOT = Path(__file__).resolve().parents[3]

#: Not needed for the first frame (each is imported, or its Python types created, later).
#: A package here stands for all of its modules: Python imports a package before any
#: module in it, so ``vessl_gui.core.outputs`` is in ``sys.modules`` as soon as any
#: ``vessl_gui.core.outputs.*`` is.
DEFERRED = (
    "vessl_gui.ui.output.view",
    "vessl_gui.ui.output.tabs",
    "vessl_gui.ui.output.actions",
    "vessl_gui.ui.output.tree",
    "vessl_gui.ui.output.images",
    "vessl_gui.ui.output.preview",
    "vessl_gui.ui.output.loader",
    "vessl_gui.ui.output.facts",
    "vessl_gui.core.outputs",
    "vessl_gui.ui.settings_dialog",
    "vessl_gui.ui.services.text_dialog",
    "vessl_gui.core.history.export",
    "vessl_gui.ui.history.check",
    "vessl_gui.ui.keyring_open",
    "vessl_gui.ui.window.about",
    "vessl_gui.ui.window.preview",
    "vessl_gui.ui.history.follow_dialog",
    "vessl_gui.ui.batch.dialog",
    "vessl_gui.ui.batch.progress",
    "vessl_gui.ui.batch.run",
    "vessl_gui.core.batch",
    "vessl_gui.core.compare",
    "vessl_gui.ui.compare.window",
    "logging.handlers",
    "ssl",
    "uuid",
)

OUTPUT_MODULES = [
    m for m in DEFERRED if m.startswith(("vessl_gui.ui.output.", "vessl_gui.core.outputs"))
]

# Builds the window as the tests' factory does, shows it, paints it; then selects a row.
WINDOW_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest
from vessl_gui.ui.window import AppContext, MainWindow

deferred, data_dir = json.loads(sys.argv[1]), Path(sys.argv[2])
app = QApplication([])
store = HistoryStore(data_dir / "history.sqlite3")
store.add(AsyncRequest("http://127.0.0.1:9", "POST", "/predict", "{}"))
settings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
window = MainWindow(AppContext(store=store, tokens=TokenStore(), settings=settings,
                               data_dir=data_dir))
window.show()
app.processEvents()
pixmap = window.grab()
before = [m for m in deferred if m in sys.modules]
window.select_row(0)
app.processEvents()
after = [m for m in deferred if m in sys.modules]
shown = window.output_view.entry()
print(json.dumps({"painted": not pixmap.isNull(), "before": before, "after": after,
                  "shown": shown.path if shown else None}))
window.close()
store.close()
"""

# The real entry point (vessl_gui.app.main), watched as tests/benchmarks/first_paint.py does.
MAIN_SCRIPT = """
import gc, json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from vessl_gui import app as vessl_app
from vessl_gui.ui.window import MainWindow

deferred = json.loads(sys.argv[1])
seen = {}

def icon_sizes():
    icon = QApplication.instance().windowIcon()
    return sorted({s.width() for s in icon.availableSizes()})

def later(window):
    seen["after"] = {"loaded": [m for m in deferred if m in sys.modules], "icon": icon_sizes(),
                     "collecting": gc.isenabled(), "frozen": gc.get_freeze_count()}
    window.close()

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "painted" not in seen:
            seen["painted"] = {"loaded": [m for m in deferred if m in sys.modules],
                               "icon": icon_sizes(), "collecting": gc.isenabled()}
            QTimer.singleShot(500, lambda: later(watched))
        return False

probe = Probe()
show = MainWindow.show

def show_and_watch(self):
    self.installEventFilter(probe)
    show(self)

MainWindow.show = show_and_watch
assert gc.isenabled()
code = vessl_app.main(["--data-dir", sys.argv[2]])
print(json.dumps({"code": code, "collecting": gc.isenabled(), **seen}))
"""


def run_script(script: str, data_dir: Path) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", script, json.dumps(DEFERRED), str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_window_paints_without_the_details_pane_until_a_row_is_selected(
    tmp_path: Path,
) -> None:
    result = run_script(WINDOW_SCRIPT, tmp_path)
    assert result["painted"] is True
    assert result["before"] == []
    assert result["after"] == OUTPUT_MODULES  # selecting a row built the details pane
    assert result["shown"] == "/predict"


def test_app_main_first_frame_without_deferred_modules_and_icon_after(tmp_path: Path) -> None:
    result = run_script(MAIN_SCRIPT, tmp_path)
    assert result["code"] == 0
    painted = result["painted"]
    after = result["after"]
    assert isinstance(painted, dict) and isinstance(after, dict)
    assert painted["loaded"] == []
    assert painted["icon"] == []  # the icon comes after the first frame …
    assert set(HICOLOR_SIZES) <= set(after["icon"])  # … at every size
    # ... and the details pane is built once the services have started.
    assert [m for m in OUTPUT_MODULES if m in after["loaded"]] == OUTPUT_MODULES
    # No automatic cyclic collection until the window is up; then it is on again, with
    # what was alive by then frozen out of its sight (settle_memory); and after main.
    assert painted["collecting"] is False
    assert after["collecting"] is True and after["frozen"] > 0
    assert result["collecting"] is True


def test_app_main_switches_collection_back_on_when_the_start_fails(tmp_path: Path) -> None:
    script = (
        "import gc, sys\n"
        "from vessl_gui import app\n"
        "from vessl_gui.ui.window import main_window\n"
        "def boom(*a, **k):\n"
        "    assert not gc.isenabled()\n"
        "    raise RuntimeError('window failed')\n"
        "main_window.MainWindow.__init__ = boom\n"
        "try:\n"
        "    app.main(['--data-dir', sys.argv[2]])\n"
        "except RuntimeError as exc:\n"
        "    print(str(exc), gc.isenabled())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", script, "[]", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.stdout.strip().splitlines()[-1] == "window failed True", proc.stderr[-3000:]


def test_details_pane_is_the_same_widget_before_and_after_its_content_is_built(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    w = make_window()
    pane = w.findChild(QWidget, "outputView")
    assert pane is w.output_view
    assert pane.accessibleName() == "Request details and output"
    assert not w.output_view.is_built()
    waiting = pane.findChild(QLabel, "detailsPlaceholderLabel")
    assert waiting is not None and waiting.text() == PLACEHOLDER
    sizes = w.right_splitter.sizes()

    entry = w.ctx.store.add(AsyncRequest("http://127.0.0.1:9", "POST", "/predict", "{}"))
    w.reports.on_row_updated(entry)  # a poll result for a row while nothing is shown
    assert not w.output_view.is_built()
    w.model.reload()
    w.select_row(0)

    assert w.output_view.is_built()
    view = w.output_view.content
    assert isinstance(view, OutputView) and view.objectName() == "outputContent"
    assert view.parent() is pane
    assert w.findChild(QWidget, "outputView") is pane  # the same object, found again
    assert w.right_splitter.widget(1) is pane
    assert w.right_splitter.sizes() == sizes
    assert pane.sizePolicy().verticalStretch() == 2
    assert waiting.isHidden()
    current = w.output_view.entry()
    assert current is not None and current.row_id == entry.row_id
    view.copy_requested.emit("id", "abc123")  # connected to the window, through the pane
    assert "abc123" in w.statusBar().currentMessage()
    assert w.output_view is pane and w.output_view.content is view


def test_details_pane_is_built_once_the_services_have_started(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    w = make_window()  # started its services
    qtbot.waitUntil(lambda: w.output_view.is_built())
    assert w.right_splitter.widget(1) is w.output_view
    assert w.output_view.placeholder.isVisible()  # "Select a request …"


def test_after_first_paint_calls_back_once(qtbot: QtBot) -> None:
    painted, hidden = QWidget(), QWidget()
    qtbot.addWidget(painted)
    qtbot.addWidget(hidden)
    calls: list[str] = []
    after_first_paint(painted, lambda: calls.append("painted"), fallback_ms=3000)
    after_first_paint(hidden, lambda: calls.append("hidden"), fallback_ms=1000)
    painted.show()
    qtbot.waitUntil(lambda: "painted" in calls)
    assert calls == ["painted"]  # after the paint, not after its 3 s fallback
    qtbot.wait(3200)  # both fallbacks have passed
    assert calls == ["painted", "hidden"]  # a widget never painted: the fallback, once
