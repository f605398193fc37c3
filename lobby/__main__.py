"""``python -m lobby`` runs the command line."""

import sys

from lobby.cli.main import main

sys.exit(main())
