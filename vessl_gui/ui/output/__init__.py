"""The details pane: everything about the selected history row, made readable.

This package stays empty of imports: the window imports only :mod:`.pane` at start-up,
the rest is imported when the pane is first needed (tests/ui/test_startup_laziness.py).
"""
