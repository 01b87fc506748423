"""The main window and the controllers it assembles (see :mod:`.main_window`)."""

from vessl_gui.ui.window.context import AppContext, DemoService
from vessl_gui.ui.window.main_window import MainWindow, schedule_start
from vessl_gui.ui.window.startup import after_first_paint

__all__ = ["AppContext", "DemoService", "MainWindow", "after_first_paint", "schedule_start"]
