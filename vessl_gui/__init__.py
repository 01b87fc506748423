"""vessl-gui: a native desktop client for VESSL Serve asynchronous requests.

This module holds the version only and imports nothing else (no Qt).
"""

__version__ = "0.1.0"
