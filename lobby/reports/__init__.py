"""Key figures of a period: waits, service, no-shows, service level, ratings, complaints.

The same :class:`Figures` keys appear for the totals and for each service, teller,
hour and day, so ``lobby report --json``, the CSV export and the manager app read
them alike. Past, closed days are read from per-day rollups (see
:mod:`lobby.reports.rollup`), so a year's report takes a fraction of a second.

Usage::

    with db.read() as session:
        report = build_report(session, date(2026, 1, 1), date(2026, 12, 31), reader=credential)
    print(report.totals.p90_wait_s, report_to_csv(report))
"""

from lobby import models_reports  # noqa: F401  # the rollup tables join Base.metadata
from lobby.reports.build import MAX_DAYS, build_report
from lobby.reports.complaints import RESOLVED_STATUSES
from lobby.reports.export import CSV_COLUMNS, report_to_csv
from lobby.reports.figures import FIGURE_KEYS, WAIT_BIN_S, ComplaintFigures, Figures, Report
from lobby.reports.rollup import roll_up_closed_days, roll_up_days

__all__ = [
    "CSV_COLUMNS",
    "FIGURE_KEYS",
    "MAX_DAYS",
    "RESOLVED_STATUSES",
    "WAIT_BIN_S",
    "ComplaintFigures",
    "Figures",
    "Report",
    "build_report",
    "report_to_csv",
    "roll_up_closed_days",
    "roll_up_days",
]
