"""Notification status: VARCHAR(30) like every other vocabulary column, as the model says (it was 20).

Found by tests/test_migrations.py, which compares the migrated schema with the models.

Revision ID: a14e6b2f0c57
Revises: a11c0f5e7d21
Create Date: 2026-12-04 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a14e6b2f0c57"
down_revision: str | None = "a11c0f5e7d21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=20), type_=sa.String(length=30), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=30), type_=sa.String(length=20), existing_nullable=False
        )
