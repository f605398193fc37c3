"""rating pads bound to their counter, heartbeats, and the journal found by counter

An enrolled device gains ``counter_id``: a rating pad rates only the visits of its
own counter. ``presence`` keeps the last heartbeat of each counter's console and
pad, so a screen that crashed stops counting as there. The journal gets an index on
(counter_id, kind, id): a counter's latest occupancy, pad or break entry is one index
seek instead of a scan of every event.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch_op:  # nothing refers to device: a copy is safe
        batch_op.add_column(sa.Column("counter_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_device_counter_id_counter"), "counter", ["counter_id"], ["id"]
        )
    op.create_table(
        "presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=16), nullable=False),
        sa.Column("who", sa.String(length=64), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["counter_id"], ["counter.id"], name=op.f("fk_presence_counter_id_counter")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presence")),
        sa.UniqueConstraint("counter_id", "what", name=op.f("uq_presence_counter_id_what")),
    )
    op.create_index("ix_event_counter_kind", "event", ["counter_id", "kind", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_counter_kind", table_name="event")
    op.drop_table("presence")
    with op.batch_alter_table("device") as batch_op:
        batch_op.drop_constraint(op.f("fk_device_counter_id_counter"), type_="foreignkey")
        batch_op.drop_column("counter_id")
