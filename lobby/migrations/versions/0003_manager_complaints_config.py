"""complaint follow-up, notices and opening hours

Complaints gain an assignee, the times they were resolved and the customer informed,
and notes; their statuses become new -> in_progress -> resolved -> informed (old
``open`` rows become ``new``, old ``closed`` rows ``informed``). Work profiles can be
retired like services and counters. Notices and opening hours get their own tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_complaint = sa.table(
    "complaint",
    sa.column("status", sa.String),
    sa.column("updated_at", sa.DateTime),
    sa.column("resolved_at", sa.DateTime),
    sa.column("informed_at", sa.DateTime),
)


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.add_column(sa.Column("assigned_to", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("informed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("informed_channel", sa.String(length=16), nullable=True))
    c = _complaint.c
    # the old statuses carried no times: the last update is the best estimate there is
    op.execute(_complaint.update().where(c.status == "open").values(status="new"))
    op.execute(_complaint.update().where(c.status == "resolved").values(resolved_at=c.updated_at))
    op.execute(
        _complaint.update()
        .where(c.status == "closed")
        .values(status="informed", resolved_at=c.updated_at, informed_at=c.updated_at)
    )

    # a plain ADD COLUMN: a batch copy of work_profile would trip the foreign keys of
    # counter and work_profile_entry that point at it
    op.add_column(
        "work_profile",
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot drop a default in place
        op.alter_column("work_profile", "active", server_default=None)

    op.create_table(
        "complaint_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_note_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_note")),
    )
    with op.batch_alter_table("complaint_note") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_note_complaint_id"), ["complaint_id"], unique=False
        )
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("key", name=op.f("uq_notice_key")),
    )
    op.create_table(
        "opening_hours",
        sa.Column("weekday", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("opens", sa.Time(), nullable=True),
        sa.Column("closes", sa.Time(), nullable=True),
        sa.PrimaryKeyConstraint("weekday", name=op.f("pk_opening_hours")),
    )


def downgrade() -> None:
    op.drop_table("opening_hours")
    op.drop_table("notice")
    with op.batch_alter_table("complaint_note") as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_note_complaint_id"))
    op.drop_table("complaint_note")
    op.drop_column("work_profile", "active")
    c = _complaint.c
    op.execute(_complaint.update().where(c.status == "new").values(status="open"))
    op.execute(_complaint.update().where(c.status == "informed").values(status="closed"))
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.drop_column("informed_channel")
        batch_op.drop_column("informed_at")
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("assigned_to")
