"""Helpers for the packaging tests: tools that skip locally but must exist on CI."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def require_tool(name: str, package: str) -> str:
    """The tool's path; a skip when missing, except on CI (``CI=true``), where it fails."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt-get install {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run this test: {message}")
        pytest.skip(message)
    return path


def require_module(name: str, hint: str) -> None:
    """Skip without a Python module (fail on CI, where the dev extras install it)."""
    import importlib.util

    if importlib.util.find_spec(name) is None:
        message = f"{name} is not installed ({hint})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run this test: {message}")
        pytest.skip(message)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a separately installed vessl-gui: no checkout on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def load_script(name: str) -> ModuleType:
    """A script from ``packaging/`` as a module (that folder is no Python package, and
    ``import packaging`` is the PyPI library)."""
    import importlib.util
    import sys

    module_name = f"_vessl_packaging_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def validate_desktop(path: Path) -> None:
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=60)
    # It prints nothing for a clean file; hints and warnings count as failures too.
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def unescape_exec(value: str) -> str:
    """Undo the Desktop Entry string escapes and ``%%``, as a launcher does before
    splitting ``Exec`` with shell quoting rules."""
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            out.append({"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[value[i + 1]])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out).replace("%%", "%")


def run_exec(exec_value: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Start what a menu would start for this ``Exec`` value (shell word splitting)."""
    line = unescape_exec(exec_value) + "".join(f" '{a}'" for a in args)
    return subprocess.run(
        ["sh", "-c", f"exec {line}"], capture_output=True, text=True, timeout=120, check=False
    )
