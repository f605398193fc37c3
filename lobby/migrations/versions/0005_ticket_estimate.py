"""the wait estimate given at issue, kept on the ticket

The replay's own expected wait when the ticket was issued, so that the estimate's
ranges can calibrate themselves on the branch's recent estimates against the waits
that followed (lobby.estimate.calibration). Empty for tickets issued before.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch_op:
        batch_op.add_column(sa.Column("estimate_min", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket") as batch_op:
        batch_op.drop_column("estimate_min")
