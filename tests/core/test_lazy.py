"""core/lazy.py: packages that re-export lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

from vessl_gui.core.lazy import lazy_exports


def test_a_name_that_is_also_a_submodule_is_refused() -> None:
    with pytest.raises(ValueError, match="resolve"):
        lazy_exports("pkg", {}, {"resolve": "resolve"})


def test_unknown_names_raise_attribute_error() -> None:
    getter = lazy_exports("vessl_gui.core.variables", {}, {"Variable": "model"})
    with pytest.raises(AttributeError, match="nothing"):
        getter("nothing")


def test_importing_a_package_loads_only_what_is_asked_for() -> None:
    code = (
        "import sys\n"
        "from vessl_gui.core.variables import Variable\n"
        "from vessl_gui.core.profiles import ProfileStore\n"
        "print(sorted(m for m in sys.modules if m.startswith(('vessl_gui.core.variables.',"
        " 'vessl_gui.core.profiles.secret'))))\n"
        "from vessl_gui.core.variables.resolving import resolve as f\n"
        "from vessl_gui.core.variables import resolve\n"
        "print(resolve is f)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, same = out.stdout.splitlines()
    assert "resolving" not in loaded and "secret_values" not in loaded
    assert same == "True"  # the function, even once its module was imported first
