"""What the details pane says while it shows no row.

Its own module, importing nothing, because both the light shell the window builds at
start-up (:mod:`~vessl_gui.ui.output.pane`) and the content built later
(:mod:`~vessl_gui.ui.output.view`) say it, and the view may not import the pane (the
pane imports the view when it is first needed).
"""

from __future__ import annotations

#: What the pane says when no row is selected.
PLACEHOLDER = "Select a request in the history to see its details."
