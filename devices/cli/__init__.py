"""The device commands ``lobby print`` and ``lobby say``, found by the core CLI's entry points.

Importing these modules loads no device library; the handlers do, when they run.
"""
