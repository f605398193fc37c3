"""The report as CSV: one row per group, the same figure keys in every row."""

from __future__ import annotations

import csv
import io

from lobby.reports.figures import FIGURE_KEYS, Figures, Report

#: CSV columns: the group, then every figure key, then the rating counts.
CSV_COLUMNS = ("group_kind", "group", *FIGURE_KEYS, *(f"rating_{s}" for s in range(1, 6)))


def report_to_csv(report: Report) -> str:
    """The report's figures as CSV text.

    Rows: ``total`` (group ``all``), then each ``day``, ``service``, ``teller`` and
    ``hour``. Empty cells stand for figures that do not exist (no waits, no ratings).
    Complaints are in the JSON export only.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    groups: list[tuple[str, dict[str, Figures]]] = [
        ("total", {"all": report.totals}),
        ("day", report.by_day),
        ("service", report.by_service),
        ("teller", report.by_teller),
        ("hour", report.by_hour),
    ]
    for kind, figures in groups:
        for name, f in figures.items():
            values = [getattr(f, key) for key in FIGURE_KEYS]
            counts = [f.rating_counts[str(s)] for s in range(1, 6)]
            writer.writerow([kind, name, *("" if v is None else v for v in values), *counts])
    return out.getvalue()
