"""Entry script of the PyInstaller bundle: runs the app exactly like ``vessl-gui``."""

import sys

from vessl_gui.app import main

if __name__ == "__main__":
    sys.exit(main())
