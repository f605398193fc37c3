"""Ships the repository's top-level ``resources/`` inside the wheel as ``lobby/resources``.

Everything else is in pyproject.toml; :mod:`lobby.resource_files` finds the files.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"


class BuildWithResources(build_py):  # type: ignore[misc]
    """``build_py`` that also copies ``resources/`` to ``lobby/resources``."""

    def run(self) -> None:
        """Build the packages, then add the resources beside them."""
        super().run()
        if not self.editable_mode:  # an editable install reads resources/ in place
            target = Path(self.build_lib) / "lobby" / "resources"
            shutil.copytree(RESOURCES, target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithResources})
