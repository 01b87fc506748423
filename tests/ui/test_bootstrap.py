"""ui/bootstrap.py: the application object and what is settled once the window is up."""

from __future__ import annotations

import gc

from vessl_gui.ui.bootstrap import settle_memory


def test_settle_memory_collects_then_freezes_what_is_alive() -> None:
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    Cycle()  # garbage in a cycle: collected first, not frozen with the rest
    before = gc.get_freeze_count()
    try:
        settle_memory()
        assert gc.get_freeze_count() > before
        assert not [o for o in gc.get_objects() if isinstance(o, Cycle)]
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
