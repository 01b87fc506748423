"""The rotating log file (vessl_gui/logs.py)."""

from __future__ import annotations

import logging
from pathlib import Path

from vessl_gui.logs import RotatingLog

ROOT = Path(__file__).resolve().parents[1]

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
    "vessl_gui.core.history.export",
    "vessl_gui.ui.history.check",
    "vessl_gui.ui.keyring_open",
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
import json, sys
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
    seen["after"] = {"loaded": [m for m in deferred if m in sys.modules], "icon": icon_sizes()}
    window.close()

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "painted" not in seen:
            seen["painted"] = {"loaded": [m for m in deferred if m in sys.modules],
                               "icon": icon_sizes()}
            QTimer.singleShot(500, lambda: later(watched))
        return False

probe = Probe()
show = MainWindow.show

def show_and_watch(self):
    self.installEventFilter(probe)
    show(self)

MainWindow.show = show_and_watch
code = vessl_app.main(["--data-dir", sys.argv[2]])
print(json.dumps({"code": code, **seen}))
"""


def test_rotating_log_keeps_three_old_files(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    handler = RotatingLog(path, max_bytes=200, backups=3)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("vessl_gui.test_rotating_log")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for n in range(40):
            logger.warning("record %02d %s", n, "x" * 30)
    finally:
        logger.removeHandler(handler)
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["app.log", "app.log.1", "app.log.2", "app.log.3"]
    for p in tmp_path.iterdir():
        assert 0 < p.stat().st_size < 200
    assert "record 39" in path.read_text()
    assert "record 00" not in "".join(p.read_text() for p in tmp_path.iterdir())
    newest_old = (tmp_path / "app.log.1").read_text().splitlines()[-1]
    oldest_new = path.read_text().splitlines()[0]
    assert int(newest_old.split()[1]) + 1 == int(oldest_new.split()[1])
