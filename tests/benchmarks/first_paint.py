"""Child process of B1/B2/B7: show a main window, report its first painted frame and RSS.

    python tests/benchmarks/first_paint.py bare
    python tests/benchmarks/first_paint.py app --data-dir DIR

``bare`` is the baseline: a plain PySide6 ``QMainWindow`` (a label in it,
1200x760 like the app).  ``app`` runs the app's own entry point
(``vessl_gui.app.main``, as ``python -m vessl_gui`` does) unchanged: the
only difference from a normal start is an event filter on the main window,
installed by wrapping ``QMainWindow.show`` (the script imports nothing of the
app's window itself: ``main`` does, as it does in a normal start), and the same
filter is on the bare window.

Both print JSON lines on stdout:

* ``{"painted": T}``: ``time.monotonic()`` (``CLOCK_MONOTONIC``, comparable
  with the parent's clock) when the window's first frame is complete: after
  its first ``Paint`` event, the moment control is back in the event loop (a
  high-priority event posted at that ``Paint`` is delivered then: every child
  painted in that pass is done, and whatever the app queued at normal priority
  for "after the first paint" has not run yet);
* ``{"rss_kb": N, "idle_ms": MS}``: the process's resident set size after
  ``BENCH_IDLE_MS`` (default 1500) ms of idling after that frame (the app has
  started its worker threads and checked the keyring by then); then the
  window quits (the app shuts down normally).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def _say(**values: Any) -> None:
    sys.stdout.write(json.dumps(values) + "\n")
    sys.stdout.flush()


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


class FirstFrame(QObject):
    """Reports one window's first frame, then the RSS after idling, then quits.

    The frame is complete when control is back in the event loop after the
    window's first ``Paint`` (children and the flush happen synchronously in the
    same pass).  At that ``Paint`` a ``User`` event is posted with high priority:
    the event loop delivers it before anything queued at normal priority, and no
    application-wide event filter is needed.  (An application-wide filter made
    PySide wrap every object it saw, building the Python types and enums of
    every QtWidgets class on the way: ~35 ms more in the app's first frame only,
    which measured the probe rather than the app.)
    """

    def __init__(self, idle_ms: int) -> None:
        super().__init__()
        self._idle_ms = idle_ms
        self._state = "wait-paint"
        self.painted = 0.0
        self.watching: QObject | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._state == "wait-paint" and event.type() == QEvent.Type.Paint:
            self._state = "posted"
            watched.removeEventFilter(self)
            # 1 = Qt.EventPriority.HighEventPriority: touching the Qt namespace would
            # create its ~90 enum classes (~15 ms) in the bare baseline too.
            QApplication.postEvent(self, QEvent(QEvent.Type.User), 1)
            QTimer.singleShot(0, self._report)  # normal priority: after the post
        return False

    def customEvent(self, event: QEvent) -> None:
        if self._state == "posted":
            self._state = "done"
            self.painted = time.monotonic()

    def _report(self) -> None:
        _say(painted=self.painted)
        QTimer.singleShot(self._idle_ms, self._idle)

    def _idle(self) -> None:
        _say(rss_kb=_rss_kb(), idle_ms=self._idle_ms)
        QApplication.quit()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("bare", "app"):
        print(__doc__, file=sys.stderr)
        return 2
    probe = FirstFrame(int(os.environ.get("BENCH_IDLE_MS", "1500")))
    if argv[0] == "bare":
        app = QApplication([sys.argv[0]])
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.setCentralWidget(QLabel("Hello"))
        window.resize(1200, 760)
        window.installEventFilter(probe)
        window.show()
        return app.exec()

    from vessl_gui import app as vessl_app

    # main() imports the window's modules itself (the probe must not do it for it: the
    # app holds off the cyclic collector while it starts); MainWindow.show is
    # QMainWindow's, so that is where the probe is hooked in.
    show = QMainWindow.show

    def show_and_watch(self: QMainWindow) -> None:
        if self.objectName() == "mainWindow" and probe.watching is None:
            probe.watching = self
            self.installEventFilter(probe)
        show(self)

    QMainWindow.show = show_and_watch  # type: ignore[method-assign]
    return vessl_app.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
