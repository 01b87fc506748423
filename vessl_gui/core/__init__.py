"""The Qt-free core of vessl-gui: models, validation, client, history, credentials.

Nothing in this package imports PySide6 (a test proves it).
"""
