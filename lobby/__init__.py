"""Lobby's domain core: queue engine, storage, configuration and reports.

This package never imports Qt or device libraries; the apps in ``ui/`` and the
adapters in ``devices/`` build on it.
"""

__version__ = "0.1.0"
