"""Reads outputs off the GUI thread: parse, search for images and text, decode pictures.

One :class:`OutputLoader` per details pane.  :meth:`OutputLoader.load` starts a
job on a small ``QThreadPool`` and returns its generation number; every result
comes back (queued, on the GUI thread) tagged with it, so the pane applies
only results for the entry it still shows.  A newer load cancels the older
job between its steps.

Not :class:`~vessl_gui.ui.background.Runner`: a Runner job answers once, when it
ends, and cannot be told to stop once started; a job here reports as it goes
(``analyzed``, then ``found``, then each picture) and stops between those steps
when a newer load supersedes it.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, SignalInstance

from vessl_gui.core.outputs import Analysis, Found, analyze, find_outputs
from vessl_gui.ui.output.images import decode_image

log = logging.getLogger(__name__)

#: At most this many pictures are decoded and shown per output (all are saved).
MAX_SHOWN_IMAGES = 24


class _Relay(QObject):
    """Emitted from pool threads; owned by Python and kept alive by running jobs."""

    analyzed = Signal(int, object)
    found = Signal(int, object)
    image_ready = Signal(int, int, object)
    image_failed = Signal(int, int, str)


class _Ticket:
    """The generation the pane wants (read by pool threads; an int swap is atomic)."""

    current = 0


class OutputLoader(QObject):
    """Runs :func:`~vessl_gui.core.outputs.analyze` and picture decoding on a thread pool.

    Signals:
        analyzed(int gen, Analysis): the output is parsed (tree and pretty text ready).
        found(int gen, Found): its images and texts (always after ``analyzed``).
        image_ready(int gen, int index, Decoded): picture ``index`` is decoded.
        image_failed(int gen, int index, str reason): picture ``index`` could not be read.
    """

    analyzed = Signal(int, object)
    found = Signal(int, object)
    image_ready = Signal(int, int, object)
    image_failed = Signal(int, int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._ticket = _Ticket()
        self._relay = _Relay()
        self._relay.analyzed.connect(self.analyzed)
        self._relay.found.connect(self.found)
        self._relay.image_ready.connect(self.image_ready)
        self._relay.image_failed.connect(self.image_failed)

    @property
    def generation(self) -> int:
        return self._ticket.current

    def load(self, output_json: str | None, raw_output: str | None) -> int:
        """Start reading an output; returns the generation its results carry."""
        gen = self.cancel()
        relay, ticket = self._relay, self._ticket
        self._pool.start(lambda: _job(relay, ticket, gen, output_json, raw_output))
        return gen

    def decode(self, gen: int, images: Any) -> None:
        """Decode pictures found by a job run on this thread (the small-output path)."""
        relay, ticket = self._relay, self._ticket
        self._pool.start(lambda: _decode_all(relay, ticket, gen, images))

    def cancel(self) -> int:
        """Drop queued work and tell running work to stop; returns the new generation."""
        self._ticket.current += 1
        self._pool.clear()
        return self._ticket.current

    def wait(self, msecs: int = 5000) -> bool:
        """Wait for running work (tests, shutdown)."""
        return self._pool.waitForDone(msecs)


def _emit(signal: SignalInstance, *args: Any) -> None:
    with contextlib.suppress(RuntimeError):  # the pane went away while this ran
        signal.emit(*args)


def _job(
    relay: _Relay, ticket: _Ticket, gen: int, output_json: str | None, raw_output: str | None
) -> None:
    try:
        analysis = analyze(output_json, raw_output, search=False)
    except Exception as e:  # a bug: say so in the pane rather than lose the thread
        log.exception("reading an output failed")
        analysis = Analysis(False, error=f"The output could not be read: {e}")
    if ticket.current != gen:
        return
    _emit(relay.analyzed, gen, analysis)
    found = analysis.found
    if analysis.has_value:
        try:
            found = find_outputs(analysis.value)
        except Exception:
            log.exception("searching an output failed")
            found = Found()
        if ticket.current != gen:
            return
    _emit(relay.found, gen, found)
    _decode_all(relay, ticket, gen, found.images)


def _decode_all(relay: _Relay, ticket: _Ticket, gen: int, images: Any) -> None:
    for index, image in enumerate(images[:MAX_SHOWN_IMAGES]):
        if ticket.current != gen:
            return
        try:
            decoded = decode_image(image)
        except ValueError as e:
            _emit(relay.image_failed, gen, index, str(e))
            continue
        except Exception as e:
            log.exception("decoding an image failed")
            _emit(relay.image_failed, gen, index, f"unexpected error: {e}")
            continue
        _emit(relay.image_ready, gen, index, decoded)
