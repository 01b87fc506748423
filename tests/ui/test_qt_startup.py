"""PySide's per-import check made cheap (vessl_gui/ui/qt_startup.py)."""

from __future__ import annotations

import json
import logging
import sys


def test_pyside_import_check_reads_files_and_answers_as_pyside_does() -> None:
    import vessl_gui.core.history
    import vessl_gui.ui.composer
    from vessl_gui.ui import qt_startup

    assert qt_startup.scan_modules_cheaply() is True  # done when vessl_gui.ui was imported
    assert qt_startup.scan_modules_cheaply() is True  # and only once
    feature = sys.modules["shibokensupport.feature"]
    cheap = feature._mod_uses_pyside
    original = cheap.__wrapped__
    assert not hasattr(original, "__wrapped__")
    modules = [vessl_gui.ui.composer, vessl_gui.core.history, json, logging, sys, qt_startup]
    assert [cheap(m) for m in modules] == [original(m) for m in modules]
    assert [cheap(m) for m in modules] == [True, False, False, False, False, True]
