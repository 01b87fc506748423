"""The details pane's shell (OutputPane): the same widget before and after its content is
built, what it says until then, what it passes on to the content, its light imports;
and one run through the real window against the emulator on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, fill, wait_state
from tests.ui.output.conftest import entry
from vessl_gui.emulator import Emulator
from vessl_gui.ui.history.model import COL_TOTAL
from vessl_gui.ui.output.empty import PLACEHOLDER
from vessl_gui.ui.output.images import ImageDialog
from vessl_gui.ui.output.pane import OutputPane
from vessl_gui.ui.output.view import OutputView

ROOT = Path(__file__).resolve().parents[3]


def test_until_it_is_needed_the_pane_only_says_select_a_request(qtbot: QtBot) -> None:
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.show()
    assert pane.objectName() == "outputView"
    assert pane.accessibleName() == "Request details and output"
    waiting = pane.findChild(QLabel, "detailsPlaceholderLabel")
    assert waiting is not None and waiting.isVisible() and waiting.text() == PLACEHOLDER
    assert pane.entry() is None  # nothing shown, and nothing built to say so
    assert not pane.is_built()
    assert pane.findChild(OutputView) is None


def test_the_content_is_built_inside_the_pane_on_first_use(qtbot: QtBot, tmp_path: Path) -> None:
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    e = entry("/predict", {"question": "Why?"})
    pane.show_entry(e)
    assert pane.is_built()
    content = pane.content
    assert isinstance(content, OutputView) and content.objectName() == "outputContent"
    assert content.parent() is pane and content.isVisible()  # shown at once, not later
    assert pane.findChild(QLabel, "detailsPlaceholderLabel").isHidden()  # type: ignore[union-attr]
    assert pane.content is content  # built once
    assert pane.entry() is e is content.entry()
    qtbot.waitUntil(lambda: not content.is_loading())
    # what tests and scripts read through the window's output_view: the content's
    assert pane.fact("Service answered") == "HTTP 200"
    assert pane.text is content.text and '"question": "Why?"' in pane.text.toPlainText()
    assert pane.copy_output_button is content.copy_output_button
    assert pane.placeholder is content.placeholder and not pane.placeholder.isVisible()
    # the content's signals come out of the pane
    with qtbot.waitSignal(pane.copy_requested) as copied:
        content.copy_id_button.click()
    assert copied.args == ["id", "abc123def456"]
    with qtbot.waitSignal(pane.message) as said:
        content.save_raw_to(tmp_path / "no" / "such" / "raw.json")
    assert "The raw output was not saved" in said.args[0]


def test_show_reading_builds_the_content_and_says_why_nothing_is_shown(qtbot: QtBot) -> None:
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.show()
    pane.show_reading("Reading request 7…")
    assert pane.is_built() and pane.entry() is None
    assert pane.placeholder.isVisible() and pane.placeholder.text() == "Reading request 7…"
    pane.show_entry(None)
    assert pane.placeholder.text() == PLACEHOLDER


def test_the_pane_module_imports_no_other_output_module() -> None:
    code = (
        "import json, sys\n"
        "import vessl_gui.ui.output.pane\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('vessl_gui'))))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    output = sorted(m for m in loaded if m.startswith("vessl_gui.ui.output"))
    assert output == [
        "vessl_gui.ui.output",
        "vessl_gui.ui.output.empty",
        "vessl_gui.ui.output.pane",
    ]
    assert "vessl_gui.core.outputs" not in loaded


def test_the_window_has_one_output_view_for_its_life(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    w = make_window()
    pane = w.findChild(QWidget, "outputView")
    assert isinstance(pane, OutputPane) and pane is w.output_view
    qtbot.waitUntil(pane.is_built)  # built in an idle moment after the services start
    assert w.findChild(QWidget, "outputView") is pane
    w.output_view.show_entry(entry("/predict", {"n": 1}))
    names = [c for c in w.findChildren(QWidget) if c.objectName() == "outputView"]
    assert names == [pane]
    assert pane.content.parent() is pane and pane.isVisible()


def test_window_shows_the_picture_the_emulator_drew(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, path="/image", data='{"prompt": "A lighthouse at dusk"}')
    w.send()
    wait_state(qtbot, w, 0, "completed")
    w.select_row(0)
    ov = w.output_view.content
    qtbot.waitUntil(lambda: len(ov.tiles()) == 2 and not ov.is_loading(), timeout=10000)
    assert all(t.decoded is not None for t in ov.tiles())
    assert ov.tiles()[0].decoded.image.size().toTuple() == (256, 192)  # type: ignore[union-attr]
    assert ov.tiles()[0].picture.isVisible()
    # what the emulator drew is what is shown
    drawn = json.loads(ov.entry().raw_output or "")["images"][0]  # type: ignore[union-attr]
    assert ov.images()[1].decode() == base64.b64decode(drawn)
    # the timings columns are filled in for the finished row
    assert w.model.index(0, COL_TOTAL).data().endswith("s")
    # Copy image reports in the status bar too
    ov.tiles()[0].copy_button.click()
    assert "Copied the image" in w.statusBar().currentMessage()
    # the image dialog opens on click and the window stays usable
    qtbot.mouseClick(ov.tiles()[0].picture, Qt.MouseButton.LeftButton, pos=QPoint(30, 30))
    dialogs = ov.preview.findChildren(ImageDialog)
    assert len(dialogs) == 1
    dialogs[0].close()
