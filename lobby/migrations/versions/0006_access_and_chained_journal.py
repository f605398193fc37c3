"""access control and a hash-chained journal

Journal events gain ``prev_hash`` and ``hash`` (existing events are chained here, in id
order). Staff gain ``must_change_pin``; staff sessions and enrolled devices get tables
of their own. Tickets keep a parked or cancelled ticket's remark, which no longer goes
into the journal (free text may hold personal data).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lobby.journal import GENESIS, event_digest
from lobby.models import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_event = sa.table(
    "event",
    sa.column("id", sa.BigInteger),
    sa.column("at", UTCDateTime),
    sa.column("kind", sa.String),
    sa.column("ticket_id", sa.BigInteger),
    sa.column("counter_id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("payload", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def upgrade() -> None:
    # plain ADD COLUMNs: a batch copy of these tables would trip the foreign keys to them
    op.add_column("event", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("event", sa.Column("hash", sa.String(length=64), nullable=True))
    op.add_column(
        "staff",
        sa.Column("must_change_pin", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("ticket", sa.Column("remark", sa.Text(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot drop a default in place
        op.alter_column("staff", "must_change_pin", server_default=None)
    op.create_table(
        "staff_session",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_session_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_session_token_hash")),
    )
    op.create_index(op.f("ix_staff_session_staff_id"), "staff_session", ["staff_id"], unique=False)
    op.create_table(
        "device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("enrolled_by", sa.String(length=32), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("code", name=op.f("uq_device_code")),
    )
    _chain_existing_events()


def _chain_existing_events() -> None:
    conn = op.get_bind()
    prev, last_id = GENESIS, 0
    c = _event.c
    while True:
        rows = conn.execute(
            sa.select(c.id, c.at, c.kind, c.ticket_id, c.counter_id, c.actor, c.payload)
            .where(c.id > last_id)
            .order_by(c.id)
            .limit(2000)
        ).all()
        if not rows:
            return
        updates = []
        for row in rows:
            digest = event_digest(
                prev, row.at, row.kind, row.ticket_id, row.counter_id, row.actor, row.payload
            )
            updates.append({"event_id": row.id, "prev": prev, "digest": digest})
            prev, last_id = digest, row.id
        conn.execute(
            _event.update()
            .where(c.id == sa.bindparam("event_id"))
            .values(prev_hash=sa.bindparam("prev"), hash=sa.bindparam("digest")),
            updates,
        )


def downgrade() -> None:
    op.drop_table("device")
    op.drop_index(op.f("ix_staff_session_staff_id"), table_name="staff_session")
    op.drop_table("staff_session")
    with op.batch_alter_table("ticket") as batch_op:
        batch_op.drop_column("remark")
    with op.batch_alter_table("staff") as batch_op:
        batch_op.drop_column("must_change_pin")
    with op.batch_alter_table("event") as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
