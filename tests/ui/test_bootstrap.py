"""ui/bootstrap.py: the application object and what is settled once the window is up."""

from __future__ import annotations

import gc
import weakref

from vessl_gui.ui.bootstrap import settle_memory


def test_settle_memory_collects_then_freezes_what_is_alive() -> None:
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    gc.disable()  # no automatic collection in between: only settle_memory's
    garbage = weakref.ref(Cycle())  # in a cycle: only the collector frees it
    alive = Cycle()
    before = gc.get_freeze_count()
    try:
        settle_memory()
        assert garbage() is None  # collected first, not frozen with the rest
        assert gc.get_freeze_count() > before
        assert alive.me is alive
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
        gc.enable()
