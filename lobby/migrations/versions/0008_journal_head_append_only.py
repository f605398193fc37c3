"""the journal's head, and a journal that refuses UPDATE and DELETE

A one-row ``journal_head`` table records the newest event's id and hash and how many
events there are; it is written in the transaction that appends events, so deleting
the newest events no longer goes unseen (existing events are counted here). Triggers
make ``event`` append-only on both backends: an UPDATE or DELETE of an event (and, on
PostgreSQL, a TRUNCATE) is refused by the database itself.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lobby.journal import GENESIS

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = {
    "event_append_only_update": "UPDATE",
    "event_append_only_delete": "DELETE",
}
PG_FUNCTION = "lobby_event_append_only"


def upgrade() -> None:
    head = op.create_table(
        "journal_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_head")),
    )
    conn = op.get_bind()
    last = conn.execute(sa.text("SELECT id, hash FROM event ORDER BY id DESC LIMIT 1")).first()
    count = conn.scalar(sa.text("SELECT count(*) FROM event")) or 0
    op.bulk_insert(
        head,
        [
            {
                "id": 1,
                "last_id": last.id if last else 0,
                "last_hash": (last.hash if last else None) or GENESIS,
                "events": count,
            }
        ],
    )
    if conn.dialect.name == "postgresql":
        op.execute(
            f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the journal is append-only: % of event refused', TG_OP "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        op.execute(
            "CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
        )
        op.execute(
            "CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
        )
    else:
        for name, what in SQLITE_TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {what} ON event BEGIN "
                f"SELECT RAISE(ABORT, 'the journal is append-only: {what} of event refused'); "
                "END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS event_no_truncate ON event")
        op.execute("DROP TRIGGER IF EXISTS event_append_only ON event")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("journal_head")
