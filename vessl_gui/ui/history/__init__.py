"""The history pane: table model, filter bar, row actions, and the threads that read,
write, count and check the history off the GUI thread."""
