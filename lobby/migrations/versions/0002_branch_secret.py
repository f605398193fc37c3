"""branch secret for signed ticket codes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("branch") as batch_op:
        batch_op.add_column(sa.Column("secret", sa.String(length=64), nullable=True))
    branch = sa.table("branch", sa.column("id", sa.Integer), sa.column("secret", sa.String))
    connection = op.get_bind()
    for (branch_id,) in connection.execute(sa.select(branch.c.id)):
        connection.execute(
            branch.update().where(branch.c.id == branch_id).values(secret=secrets.token_hex(16))
        )
    with op.batch_alter_table("branch") as batch_op:
        batch_op.alter_column("secret", existing_type=sa.String(length=64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("branch") as batch_op:
        batch_op.drop_column("secret")
