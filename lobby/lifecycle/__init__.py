"""The branch's data over its lifetime.

Backup, restore, retention purge, person export/erase, and the health check
(``lobby doctor``).
"""
