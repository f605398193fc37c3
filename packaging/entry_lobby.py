"""Entry script for the frozen `lobby` command."""

import sys

from lobby.cli.main import main

sys.exit(main())
