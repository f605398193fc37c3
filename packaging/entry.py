"""Entry script of every program in the frozen bundle (packaging/lobby.spec).

The bundle's executables (``lobby``, ``lobby-greeter``, ``lobby-teller``,
``lobby-display``, ``lobby-manager``) share this script and tell themselves apart by
their own name. Any of them started with ``--speech-worker`` is the speech worker
(how :func:`devices.speech.synthesizer.worker_command` starts it when frozen).
"""

import sys
from pathlib import Path

from devices.speech.synthesizer import WORKER_FLAG


def main() -> int:
    """Run the program this executable is named for."""
    if sys.argv[1:2] == [WORKER_FLAG]:
        from devices.speech.worker import main as worker

        del sys.argv[1]
        return worker()
    name = Path(sys.executable).stem
    if name.startswith("lobby-"):
        from ui import launchers

        return int(getattr(launchers, name.removeprefix("lobby-"))())
    from lobby.cli.main import main as lobby

    return lobby()


if __name__ == "__main__":
    sys.exit(main())
