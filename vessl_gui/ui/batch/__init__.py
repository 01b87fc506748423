"""Batch send from a file: the dialog, the run through the send workers, its window."""
