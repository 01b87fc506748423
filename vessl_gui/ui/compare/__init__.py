"""Compare two history rows: the window, and the controller that fills it off the GUI thread."""
