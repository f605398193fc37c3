"""Which backups to keep: the newest of each of the last N days and of the last M months."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lobby.lifecycle.files import BackupName, checksum_path, list_backups


def backups_to_keep(
    backups: list[tuple[Path, BackupName]], keep_daily: int, keep_monthly: int
) -> set[Path]:
    """The paths kept out of ``backups`` (oldest first, as :func:`list_backups` gives them)."""
    newest_of_day: dict[date, Path] = {}
    newest_of_month: dict[tuple[int, int], Path] = {}
    for path, name in backups:  # later entries are newer and replace earlier ones
        newest_of_day[name.taken_at.date()] = path
        newest_of_month[(name.taken_at.year, name.taken_at.month)] = path
    days = sorted(newest_of_day)[-keep_daily:] if keep_daily else []
    months = sorted(newest_of_month)[-keep_monthly:] if keep_monthly else []
    return {newest_of_day[d] for d in days} | {newest_of_month[m] for m in months}


def rotate(directory: Path, branch: str, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Delete the branch's backups in ``directory`` that fall outside the copies kept.

    Returns:
        The deleted backup files (their checksum files go with them).
    """
    backups = list_backups(directory, branch)
    keep = backups_to_keep(backups, keep_daily, keep_monthly)
    removed = []
    for path, _ in backups:
        if path not in keep:
            path.unlink(missing_ok=True)
            checksum_path(path).unlink(missing_ok=True)
            removed.append(path)
    return removed
