"""Build hook: ships the top-level ``resources/`` inside the package.

All project metadata lives in ``pyproject.toml``; this file only adds one step
to ``build_py``: copy ``resources/`` (icons, the .desktop file, the AppStream
metainfo; not ``resources/screenshots/``, which is for the README) into the
build as ``vessl_gui/resources/``.  So a wheel, ``pip install .``, ``pipx
install .`` and the sdist all carry them, and ``vessl_gui.resources.resource_path()``
finds them next to the code.  An editable install (``pip install -e .``) skips
the copy: ``resource_path()`` then reads ``resources/`` of the checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"
NOT_SHIPPED = ("screenshots",)


class BuildPyWithResources(build_py):
    """``build_py`` that also copies ``resources/`` to ``<build>/vessl_gui/resources``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not (RESOURCES / "icons").is_dir():
            raise FileNotFoundError(f"{RESOURCES}/icons is missing: cannot build vessl-gui")
        target = Path(self.build_lib) / "vessl_gui" / "resources"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(RESOURCES, target, ignore=shutil.ignore_patterns(*NOT_SHIPPED))


setup(cmdclass={"build_py": BuildPyWithResources})
