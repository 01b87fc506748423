"""The details pane: everything about the selected history row, made readable.

Top to bottom: a banner when the request failed (the service's status code and
fail reason) and the facts (id, status, request, service, timings) —
:mod:`~vessl_gui.ui.output.facts` —, then tabs (:mod:`~vessl_gui.ui.output.tabs`):

* **Output**: the pictures found in the output (click for full size, Save As,
  Copy image) and the generated text wrapped for reading (Copy text) —
  :mod:`~vessl_gui.ui.output.preview` —, above the output as a tree (Ctrl+C
  copies a node's value, "Copy path" its JSON path) next to the
  pretty-printed JSON (``text``).
* **Raw**: ``raw_output`` as the service sent it.
* **Sent**: the request that was sent.

Below: Copy ID / Copy output / Copy raw and Save (output as ``.json``,
``raw_output`` as a file, every picture into a folder) —
:mod:`~vessl_gui.ui.output.actions`.

A large output is read off the GUI thread
(:class:`~vessl_gui.ui.output.loader.OutputLoader`) and its results are applied
only while its row is still shown.  :meth:`OutputView.show_entry` compares and
sets labels only when the same row comes again (the window calls it on every
poll).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from vessl_gui.core.models import HistoryEntry
from vessl_gui.core.outputs import (
    Analysis,
    Found,
    GeneratedText,
    analyze,
    pretty_json,
    safe_stem,
)
from vessl_gui.ui.output.actions import OutputActions
from vessl_gui.ui.output.empty import PLACEHOLDER
from vessl_gui.ui.output.facts import FactsPanel, facts_of
from vessl_gui.ui.output.images import Decoded, ImageDialog, ImageTile
from vessl_gui.ui.output.loader import OutputLoader
from vessl_gui.ui.output.preview import SHOWN_CHARS, cut_for_display
from vessl_gui.ui.output.tabs import TAB_RAW, TAB_SENT, OutputTabs

#: Outputs smaller than this (characters) are read on the GUI thread, at once.
SYNC_LIMIT = 100_000


def _placeholder(e: HistoryEntry) -> str:
    """What the output box says before there is an output ("" once there is one)."""
    if e.state in ("completed", "failed") or e.output_json is not None or e.raw_output:
        return ""
    if e.state in ("pending", "in_progress", "sending"):
        return "Not ready yet: the status is checked automatically."
    return "No output: the request did not run (see the message above)."


class OutputView(OutputActions):
    """Details of one history row (``outputContent``, built inside the window's
    :class:`~vessl_gui.ui.output.pane.OutputPane`).

    Signals (from :class:`~vessl_gui.ui.output.actions.OutputActions`):
        copy_requested(str what, str text): the user asked to copy text (the window puts
            it on the clipboard and says so).
        message(str text): something to tell the user (saved files, copied image, errors).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputContent")
        self._facts_key: tuple[object, ...] | None = None
        self._sent_key: tuple[int, str] | None = None
        self._sent_filled = False  # the Sent tab shows _sent_key's request
        self._raw_for: HistoryEntry | None = None
        self._analysis: Analysis | None = None
        self._found_ready = False
        self._gen = 0
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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.facts)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notice)
        layout.addLayout(self.buttons)
        self.show_entry(None)

    def _build_tabs(self) -> None:
        self.tabs = tabs = OutputTabs()
        self.preview, self.tree, self.text = tabs.preview, tabs.tree, tabs.text
        self.json_note, self.json_split = tabs.json_note, tabs.json_split
        self.output_split, self.loading = tabs.output_split, tabs.loading
        self.raw_text, self.sent_text = tabs.raw_text, tabs.sent_text
        self.copy_value_button = tabs.copy_value_button
        self.copy_path_button = tabs.copy_path_button
        self.preview.copy_requested.connect(self.copy_requested)
        self.preview.message.connect(self._say)
        self.tree.copy_requested.connect(self.copy_requested)
        self.tabs.currentChanged.connect(self._fill_raw)
        self.tabs.currentChanged.connect(self._fill_sent)

    # -- what is shown --------------------------------------------------------------------

    def analysis(self) -> Analysis | None:
        """What was read from the shown output (None while it is being read)."""
        return self._analysis

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
        self._enable_actions(entry)
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
