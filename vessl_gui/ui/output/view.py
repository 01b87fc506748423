"""The details pane: everything about the selected history row, made readable.

Top to bottom: a banner when the request failed (the service's status code and
fail reason) and the facts (id, status, request, service, timings) —
:mod:`~vessl_gui.ui.output.facts` —, then tabs:

* **Output**: the pictures found in the output (click for full size, Save As,
  Copy image) and the generated text wrapped for reading (Copy text) —
  :mod:`~vessl_gui.ui.output.preview` —, above the output as a tree (Ctrl+C
  copies a node's value, "Copy path" its JSON path) next to the
  pretty-printed JSON (``text``).
* **Raw**: ``raw_output`` as the service sent it.
* **Sent**: the request that was sent.

Below: Copy ID / Copy output / Copy raw and Save (output as ``.json``,
``raw_output`` as a file, every picture into a folder).

A large output is read off the GUI thread
(:class:`~vessl_gui.ui.output.loader.OutputLoader`) and its results are applied
only while its row is still shown.  :meth:`OutputView.show_entry` compares and
sets labels only when the same row comes again (the window calls it on every
poll).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, Qt, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core.models import HistoryEntry
from vessl_gui.core.outputs import (
    Analysis,
    Found,
    FoundImage,
    GeneratedText,
    analyze,
    pretty_json,
    safe_stem,
    save_images,
    save_output_json,
    save_raw_output,
)
from vessl_gui.ui.output.facts import FACTS, FactsPanel, banner_text, facts_of, times_text
from vessl_gui.ui.output.images import Decoded, ImageDialog, ImageTile
from vessl_gui.ui.output.loader import OutputLoader
from vessl_gui.ui.output.preview import SHOWN_CHARS, PreviewPanel, cut_for_display, text_box
from vessl_gui.ui.output.tree import JsonTreeView

__all__ = ["FACTS", "OutputView", "banner_text", "output_text", "times_text"]

#: Outputs smaller than this (characters) are read on the GUI thread, at once.
SYNC_LIMIT = 100_000

#: What the pane says when no row is selected.
PLACEHOLDER = "Select a request in the history to see its details."

TAB_OUTPUT, TAB_RAW, TAB_SENT = range(3)


def output_text(entry: HistoryEntry) -> str:
    """The output to copy: pretty JSON (the text as is past 2 MB), else the raw output."""
    if entry.output_json is not None:
        return pretty_json(entry.output_json)
    return entry.raw_output or ""


def _mono() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def _placeholder(e: HistoryEntry) -> str:
    """What the output box says before there is an output ("" once there is one)."""
    if e.state in ("completed", "failed") or e.output_json is not None or e.raw_output:
        return ""
    if e.state in ("pending", "in_progress", "sending"):
        return "Not ready yet: the status is checked automatically."
    return "No output: the request did not run (see the message above)."


class OutputView(QWidget):
    """Details of one history row.

    Signals:
        copy_requested(str what, str text): the user asked to copy text (the window puts
            it on the clipboard and says so).
        message(str text): something to tell the user (saved files, copied image, errors).
    """

    copy_requested = Signal(str, str)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputView")
        self.setAccessibleName("Request details and output")
        self._entry: HistoryEntry | None = None
        self._facts_key: tuple[object, ...] | None = None
        self._sent_key: tuple[int, str] | None = None
        self._sent_filled = False  # the Sent tab shows _sent_key's request
        self._raw_for: HistoryEntry | None = None
        self._analysis: Analysis | None = None
        self._found_ready = False
        self._gen = 0
        self._last_dir = QDir.homePath()
        self.loader = OutputLoader(self)
        self.loader.analyzed.connect(self._on_analyzed)
        self.loader.found.connect(self._on_found)
        self.loader.image_ready.connect(self._on_image_ready)
        self.loader.image_failed.connect(self._on_image_failed)

        self.placeholder = QLabel(PLACEHOLDER)
        self.placeholder.setObjectName("detailsPlaceholder")
        self.facts = FactsPanel()
        self.banner = self.facts.banner
        self._build_tabs()
        self._build_buttons()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.facts)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notice)
        layout.addLayout(self.buttons)
        self.show_entry(None)

    # -- construction -------------------------------------------------------------------

    def _build_tabs(self) -> None:
        self.preview = PreviewPanel()
        self.preview.copy_requested.connect(self.copy_requested)
        self.preview.message.connect(self._say)

        self.tree = JsonTreeView()
        self.tree.copy_requested.connect(self.copy_requested)
        self.copy_value_button = QPushButton("Copy value")
        self.copy_value_button.setToolTip("Copy the selected node's value (Ctrl+C in the tree)")
        self.copy_value_button.clicked.connect(self.tree.copy_value)
        self.copy_path_button = QPushButton("Copy path")
        self.copy_path_button.setToolTip("Copy the selected node's JSON path, e.g. choices[0].text")
        self.copy_path_button.clicked.connect(self.tree.copy_path)
        tree_buttons = QHBoxLayout()
        tree_buttons.addStretch(1)
        tree_buttons.addWidget(self.copy_value_button)
        tree_buttons.addWidget(self.copy_path_button)
        tree_box = QWidget()
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.setSpacing(2)
        tree_layout.addWidget(self.tree, 1)
        tree_layout.addLayout(tree_buttons)

        mono = _mono()
        self.text = text_box("outputText", "Output", mono)
        self.json_note = QLabel()
        self.json_note.setObjectName("outputNote")
        self.json_note.setWordWrap(True)
        pretty_box = QWidget()
        pretty_layout = QVBoxLayout(pretty_box)
        pretty_layout.setContentsMargins(0, 0, 0, 0)
        pretty_layout.setSpacing(2)
        pretty_layout.addWidget(self.json_note)
        pretty_layout.addWidget(self.text, 1)

        self.json_split = QSplitter(Qt.Orientation.Horizontal)
        self.json_split.setObjectName("outputJsonSplitter")
        self.json_split.addWidget(tree_box)
        self.json_split.addWidget(pretty_box)
        self.json_split.setSizes([1, 1])

        self.output_split = QSplitter(Qt.Orientation.Vertical)
        self.output_split.setObjectName("outputSplitter")
        self.output_split.addWidget(self.preview)
        self.output_split.addWidget(self.json_split)
        self.output_split.setChildrenCollapsible(False)
        self.loading = QLabel()
        self.loading.setObjectName("outputLoading")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        output_tab = QWidget()
        output_layout = QVBoxLayout(output_tab)
        output_layout.setContentsMargins(0, 0, 0, 0)
        output_layout.addWidget(self.loading, 1)
        output_layout.addWidget(self.output_split, 1)

        self.raw_text = text_box("rawOutputText", "Raw output", mono)
        self.sent_text = text_box("sentText", "The request that was sent", mono)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("outputTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(output_tab, "&Output")
        self.tabs.addTab(self.raw_text, "&Raw")
        self.tabs.addTab(self.sent_text, "S&ent")
        self.tabs.currentChanged.connect(self._fill_raw)
        self.tabs.currentChanged.connect(self._fill_sent)

    def _build_buttons(self) -> None:
        self.notice = QLabel()
        self.notice.setObjectName("outputNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.copy_id_button = QPushButton("Copy ID")
        self.copy_id_button.setObjectName("detailsCopyIdButton")
        self.copy_id_button.setAccessibleName("Copy this request's ID")
        self.copy_id_button.clicked.connect(self._copy_id)
        self.copy_output_button = QPushButton("Copy output")
        self.copy_output_button.setObjectName("copyOutputButton")
        self.copy_output_button.setAccessibleName("Copy output")
        self.copy_output_button.clicked.connect(self._copy_output)
        self.copy_raw_button = QPushButton("Copy raw")
        self.copy_raw_button.setObjectName("copyRawButton")
        self.copy_raw_button.setAccessibleName("Copy raw output")
        self.copy_raw_button.clicked.connect(self._copy_raw)
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("saveOutputButton")
        self.save_button.setAccessibleName("Save the output")
        menu = QMenu(self.save_button)
        self.save_output_action = menu.addAction("Save output as JSON…")
        self.save_output_action.triggered.connect(self._save_output)
        self.save_raw_action = menu.addAction("Save raw output…")
        self.save_raw_action.triggered.connect(self._save_raw)
        self.save_images_action = menu.addAction("Save all images to a folder…")
        self.save_images_action.triggered.connect(self._save_images)
        self.save_button.setMenu(menu)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        for b in (
            self.copy_id_button,
            self.copy_output_button,
            self.copy_raw_button,
            self.save_button,
        ):
            self.buttons.addWidget(b)

    # -- what is shown --------------------------------------------------------------------

    def entry(self) -> HistoryEntry | None:
        return self._entry

    def analysis(self) -> Analysis | None:
        """What was read from the shown output (None while it is being read)."""
        return self._analysis

    def images(self) -> tuple[FoundImage, ...]:
        return self.preview.images()

    def texts(self) -> tuple[GeneratedText, ...]:
        return self.preview.texts()

    def tiles(self) -> list[ImageTile]:
        return self.preview.tiles()

    def is_loading(self) -> bool:
        """True until the output is read and its pictures are decoded (or failed)."""
        if self._entry is None:
            return False
        return self._analysis is None or not self._found_ready or self.preview.decoding()

    def fact(self, key: str) -> str:
        """The text shown for one fact (empty when hidden), for tests and accessibility."""
        return self.facts.fact(key)

    facts_of = staticmethod(facts_of)

    # -- showing an entry ---------------------------------------------------------------

    def show_reading(self, text: str) -> None:
        """Nothing shown while a large row is read from the history; ``text`` says so
        (or why it could not be read)."""
        self.show_entry(None)
        self.placeholder.setText(text)

    def show_entry(self, entry: HistoryEntry | None) -> None:
        """Show a row (or nothing).  Cheap when called again with the same row unchanged."""
        self.placeholder.setText(PLACEHOLDER)
        old, self._entry = self._entry, entry
        if entry is None:
            self._facts_key = None
            self._reset_output()
            self._show_facts(None)
            return
        key = (entry.row_id, entry.updated_at, entry.state, entry.message)
        if key != self._facts_key:
            self._facts_key = key
            self._show_facts(entry)
        same_output = (
            old is not None
            and old.row_id == entry.row_id
            and old.output_json == entry.output_json
            and old.raw_output == entry.raw_output
            and _placeholder(old) == _placeholder(entry)
        )
        if not same_output:
            self._show_output(entry)

    def _show_facts(self, entry: HistoryEntry | None) -> None:
        self.facts.show_entry(entry)
        self.placeholder.setVisible(entry is None)
        self.tabs.setEnabled(entry is not None)
        has_output = entry is not None and (entry.output_json is not None or entry.raw_output)
        self.copy_id_button.setEnabled(entry is not None and bool(entry.request_id))
        self.copy_output_button.setEnabled(bool(has_output))
        self.copy_raw_button.setEnabled(entry is not None and entry.raw_output is not None)
        self.save_button.setEnabled(bool(has_output))
        self.save_output_action.setEnabled(entry is not None and entry.output_json is not None)
        self.save_raw_action.setEnabled(entry is not None and entry.raw_output is not None)
        stem = safe_stem(entry.request_id or f"request-{entry.row_id}") if entry else "output"
        self.preview.stem = stem
        sent = (entry.row_id, entry.data) if entry is not None else None
        if sent != self._sent_key:
            self._sent_key = sent
            self._sent_filled = False
            self.sent_text.clear()
            self._fill_sent()

    def _reset_output(self) -> None:
        self._gen = self.loader.cancel()
        self._analysis = None
        self._found_ready = False
        self._raw_for = None
        self.preview.clear()
        self.text.clear()
        self.json_note.hide()
        self.loading.hide()
        self.output_split.show()
        self.tree.show_value(None, present=False)
        self.raw_text.clear()
        self.notice.hide()
        self.save_images_action.setEnabled(False)

    def _show_output(self, e: HistoryEntry) -> None:
        self._reset_output()
        if self.tabs.currentIndex() == TAB_RAW:
            self._fill_raw()
        placeholder = _placeholder(e) or ("" if e.output_json or e.raw_output else "No output.")
        if placeholder:
            self.text.setPlainText(placeholder)
            self._analysis = Analysis(False)
            self._found_ready = True
            return
        size = len(e.output_json or "") + len(e.raw_output or "")
        if size < SYNC_LIMIT:
            analysis = analyze(e.output_json, e.raw_output)
            self._on_analyzed(self._gen, analysis)
            self._on_found(self._gen, analysis.found)
            if analysis.images:
                self.loader.decode(self._gen, analysis.images)
            return
        self.loading.setText(f"Reading the output ({size / 1e6:.1f} million characters)…")
        self.loading.show()
        # Nothing that calls Python is painted while a job runs: each such call would
        # wait for the job's thread to hand over the interpreter lock.
        self.output_split.hide()
        self._gen = self.loader.load(e.output_json, e.raw_output)

    # -- results --------------------------------------------------------------------------

    @Slot(int, object)
    def _on_analyzed(self, gen: int, analysis: Analysis) -> None:
        if gen != self._gen or self._entry is None:
            return
        self._analysis = analysis
        self.loading.hide()
        self.output_split.show()
        notes = []
        if analysis.has_value:
            self.text.setPlainText(analysis.display.text)
            self.tree.show_value(analysis.value)
            if analysis.display.shortened:
                notes.append(
                    "Shortened for reading (long strings and arrays are cut; the tree has"
                    " everything). Copy output and Save give all of it."
                )
        else:
            if analysis.error:
                notes.append(analysis.error)
            raw = self._entry.raw_output or ""
            self.text.setPlainText(cut_for_display(raw) if raw else "No output.")
            if raw:
                notes.append("The output is not JSON: this is the raw output.")
            self.tree.show_value(None, present=False)
        self.json_note.setText(" ".join(notes))
        self.json_note.setVisible(bool(notes))

    @Slot(int, object)
    def _on_found(self, gen: int, found: Found) -> None:
        if gen != self._gen or self._entry is None:
            return
        self._found_ready = True
        self.save_images_action.setEnabled(bool(found.images))
        if self.preview.show_found(found):
            share = 0.7 if found.images else 0.5
            total = max(200, self.output_split.height())
            self.output_split.setSizes([int(total * share), int(total * (1 - share))])

    @Slot(int, int, object)
    def _on_image_ready(self, gen: int, index: int, decoded: Decoded) -> None:
        if gen == self._gen:
            self.preview.image_ready(index, decoded)

    @Slot(int, int, str)
    def _on_image_failed(self, gen: int, index: int, reason: str) -> None:
        if gen == self._gen:
            self.preview.image_failed(index, reason)

    @Slot()
    def _fill_sent(self) -> None:
        """Fill the Sent tab when it is looked at (pretty-printing a 5 MB request and
        laying it out takes ~15-40 ms, on every Send and selection)."""
        e = self._entry
        if e is None or self.tabs.currentIndex() != TAB_SENT or self._sent_filled:
            return
        self._sent_filled = True
        data = cut_for_display(pretty_json(e.data, limit=SHOWN_CHARS))
        self.sent_text.setPlainText(f"{e.method} {e.path}\n{e.base_url}\n\n{data}")

    @Slot()
    def _fill_raw(self) -> None:
        """Fill the Raw tab when it is looked at (a big raw output costs a moment)."""
        e = self._entry
        if e is None or self.tabs.currentIndex() != TAB_RAW or self._raw_for is e:
            return
        self._raw_for = e
        if e.raw_output is None:
            self.raw_text.setPlainText("(The service sent no raw_output.)")
        else:
            self.raw_text.setPlainText(cut_for_display(e.raw_output))

    # -- pictures (the tiles' actions, for callers and tests) ----------------------------

    def open_image(self, index: int) -> ImageDialog | None:
        return self.preview.open_image(index)

    def copy_image(self, index: int) -> None:
        self.preview.copy_image(index)

    def save_image_to(self, index: int, path: str | Path) -> Path | None:
        return self.preview.save_image_to(index, path)

    # -- saving ---------------------------------------------------------------------------

    def save_output_to(self, path: str | Path) -> Path | None:
        """Save ``output`` (as received, JSON) to ``path``; says what happened."""
        e = self._entry
        if e is None or e.output_json is None:
            self._say("There is no JSON output to save.", True)
            return None
        try:
            written = save_output_json(path, e.output_json)
        except OSError as exc:
            self._say(f"The output was not saved: {exc}", True)
            return None
        self._say(f"Saved the output to {written}.")
        return written

    def save_raw_to(self, path: str | Path) -> Path | None:
        """Save ``raw_output`` exactly to ``path``; says what happened."""
        e = self._entry
        if e is None or e.raw_output is None:
            self._say("There is no raw output to save.", True)
            return None
        try:
            written = save_raw_output(path, e.raw_output)
        except OSError as exc:
            self._say(f"The raw output was not saved: {exc}", True)
            return None
        self._say(f"Saved the raw output to {written}.")
        return written

    def save_images_to(self, folder: str | Path) -> list[Path]:
        """Save every detected picture (also those not shown) into ``folder``."""
        images = self.images()
        if not images:
            self._say("No images were found in this output.", True)
            return []
        try:
            written = save_images(folder, images, self.preview.stem)
        except (OSError, ValueError) as exc:
            self._say(f"The images were not all saved: {exc}", True)
            return []
        self._say(f"Saved {len(written)} image(s) to {folder}.")
        return written

    def _ask_file(self, title: str, name: str, filters: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, title, str(Path(self._last_dir) / name), filters
        )
        if path:
            self._last_dir = str(Path(path).parent)
        return path

    @Slot()
    def _save_output(self) -> None:
        path = self._ask_file(
            "Save output as JSON",
            f"{self.preview.stem}-output.json",
            "JSON (*.json);;All files (*)",
        )
        if path:
            self.save_output_to(path)

    @Slot()
    def _save_raw(self) -> None:
        e = self._entry
        ext = "json" if e is not None and e.output_json is not None else "txt"
        path = self._ask_file("Save raw output", f"{self.preview.stem}-raw.{ext}", "All files (*)")
        if path:
            self.save_raw_to(path)

    @Slot()
    def _save_images(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Save all images into the folder", self._last_dir
        )
        if folder:
            self._last_dir = folder
            self.save_images_to(folder)

    @Slot(str, bool)
    def _say(self, text: str, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet("color: #b3261e;" if error else "")
        self.notice.show()
        self.message.emit(text)

    # -- copying --------------------------------------------------------------------------

    def _copy_id(self) -> None:
        if self._entry is not None and self._entry.request_id:
            self.copy_requested.emit("id", self._entry.request_id)

    def _copy_output(self) -> None:
        if self._entry is not None:
            self.copy_requested.emit("output", output_text(self._entry))

    def _copy_raw(self) -> None:
        if self._entry is not None and self._entry.raw_output is not None:
            self.copy_requested.emit("raw output", self._entry.raw_output)
