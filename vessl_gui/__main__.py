"""``python -m vessl_gui`` runs the app, exactly like the ``vessl-gui`` command."""

import sys

from vessl_gui.app import main

sys.exit(main())
