"""Eksempel selection: the stages and their fora from the organisation file; a decision's forum and its date.

Revision ID: a10e5e3b1c0d
Revises: 725e30caddf1
Create Date: 2026-11-23 09:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a10e5e3b1c0d"
down_revision: str | None = "725e30caddf1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "selection_stages",
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("fora", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_selection_stages")),
        sa.UniqueConstraint("stage", name=op.f("uq_selection_stages_stage")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forum", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("occurred_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("occurred_on")
        batch_op.drop_column("forum")
    op.drop_table("selection_stages")
