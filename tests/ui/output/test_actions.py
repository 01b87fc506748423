"""Saving from the details pane: the Save menu's actions and a tile's Save As write the
files, a cancelled dialog writes nothing, a bad place says why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.ui.output.conftest import entry, show
from vessl_gui.ui.output.view import OutputView


def test_save_buttons_write_files(
    qtbot: QtBot, view: OutputView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    e = entry("/image/40x30", {"prompt": "p"})
    show(qtbot, view, e)
    asked: list[str] = []

    def save_name(parent: Any, title: str, suggested: str, filters: str = "") -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / Path(suggested).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "pictures")
    )
    assert view.save_output_action.isEnabled() and view.save_images_action.isEnabled()
    view.save_output_action.trigger()
    saved = tmp_path / "abc123def456-output.json"
    assert json.loads(saved.read_text("utf-8")) == json.loads(e.output_json or "")
    assert f"Saved the output to {saved}" in view.notice.text()
    view.save_raw_action.trigger()
    assert (tmp_path / "abc123def456-raw.json").read_text("utf-8") == e.raw_output
    with qtbot.waitSignal(view.message) as said:
        view.save_images_action.trigger()
    assert said.args == [f"Saved 2 image(s) to {tmp_path / 'pictures'}."]
    names = sorted(p.name for p in (tmp_path / "pictures").iterdir())
    assert names == ["abc123def456-1-image.png", "abc123def456-2-images-0.png"]
    view.tiles()[1].save_button.click()
    assert asked[-1].endswith("abc123def456-2.png")
    assert (tmp_path / "abc123def456-2.png").read_bytes() == view.images()[1].decode()
    # a cancelled dialog writes nothing; a bad place says why, in red
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    view.save_output_action.trigger()
    assert view.save_output_to(tmp_path / "no" / "such" / "dir.json") is None
    assert "The output was not saved" in view.notice.text()
    assert "b3261e" in view.notice.styleSheet()
