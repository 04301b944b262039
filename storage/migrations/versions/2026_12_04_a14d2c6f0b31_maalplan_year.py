"""The målplan year (issue 20): when a prøvehandling became part of its målplan, and the original wording of an
entry the chef corrected before approving it.

Revision ID: a14d2c6f0b31
Revises: a14e6b2f0c57
Create Date: 2026-12-04 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a14d2c6f0b31"
down_revision: str | None = "a14e6b2f0c57"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("proevehandlinger", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("original_data", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("original_data")
    with op.batch_alter_table("proevehandlinger", schema=None) as batch_op:
        batch_op.drop_column("created_at")
