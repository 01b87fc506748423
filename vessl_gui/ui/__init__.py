"""The Qt layer.

Importing it imports PySide6 and makes PySide's per-module import check cheap
(:mod:`vessl_gui.ui.qt_startup`) before the rest of the layer is imported.
"""

import PySide6.QtCore  # noqa: F401  # first: the check to swap comes with PySide

from vessl_gui.ui.qt_startup import scan_modules_cheaply

scan_modules_cheaply()
