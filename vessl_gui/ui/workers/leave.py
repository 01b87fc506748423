"""How a worker ends: it hands itself back to the GUI thread and ends its thread's loop."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QThread


def leave_thread(worker: QObject) -> None:
    """Hand the worker back to the GUI thread and end its own thread's loop."""
    thread = QThread.currentThread()
    app = QCoreApplication.instance()
    if app is not None:
        worker.moveToThread(app.thread())
    thread.quit()
