"""Saved services and requests: the service bar, its dialog, the controller that wires
them to :class:`~vessl_gui.core.profiles.ProfileStore`, autosaved drafts, and curl in/out."""
