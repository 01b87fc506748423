"""The core must stay importable without Qt (design rule: core/ never imports PySide6)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import vessl_gui.core


def test_core_modules_do_not_load_pyside6() -> None:
    names = [m.name for m in pkgutil.walk_packages(vessl_gui.core.__path__, "vessl_gui.core.")]
    assert {
        "vessl_gui.core.client",
        "vessl_gui.core.validation",
        "vessl_gui.core.models",
        "vessl_gui.core.history.store",  # modules of the subpackages too
        "vessl_gui.core.snippets.shell_lexer",
    } <= set(names)
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "import vessl_gui.emulator\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "[]"
