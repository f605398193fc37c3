"""indexes and rollups for reports over long periods

Per-day rollups (report_day, report_group_day) let a report over a year read a few
thousand rows instead of every ticket. Tickets are already found by business day
through the unique (business_day, number, hop) index; ratings through visit's
business_day index; so no new index on the busy tables is needed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_day",
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.Column("wait_bin_s", sa.Integer(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("business_day", name=op.f("pk_report_day")),
    )
    op.create_table(
        "report_group_day",
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("group_kind", sa.String(length=8), nullable=False),
        sa.Column("group_key", sa.String(length=64), nullable=False),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("no_show", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.Column("expired", sa.Integer(), nullable=False),
        sa.Column("transferred", sa.Integer(), nullable=False),
        sa.Column("called", sa.Integer(), nullable=False),
        sa.Column("within_target", sa.Integer(), nullable=False),
        sa.Column("wait_us", sa.BigInteger(), nullable=False),
        sa.Column("wait_min_us", sa.BigInteger(), nullable=True),
        sa.Column("wait_max_us", sa.BigInteger(), nullable=True),
        sa.Column("p90_wait_s", sa.Double(), nullable=True),
        sa.Column("timed", sa.Integer(), nullable=False),
        sa.Column("service_us", sa.BigInteger(), nullable=False),
        sa.Column("rating_1", sa.Integer(), nullable=False),
        sa.Column("rating_2", sa.Integer(), nullable=False),
        sa.Column("rating_3", sa.Integer(), nullable=False),
        sa.Column("rating_4", sa.Integer(), nullable=False),
        sa.Column("rating_5", sa.Integer(), nullable=False),
        sa.Column("wait_hist", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint(
            "business_day", "group_kind", "group_key", name=op.f("pk_report_group_day")
        ),
    )


def downgrade() -> None:
    op.drop_table("report_group_day")
    op.drop_table("report_day")
