"""Notification claims: the instance delivering a notification holds it until `claimed_until` (crash recovery).

Revision ID: a13c1a1ed0e1
Revises: a10e5e3b1c0d
Create Date: 2026-11-23 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a13c1a1ed0e1"
down_revision: str | None = "a10e5e3b1c0d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_notifications_status_claimed", ["status", "claimed_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_status_claimed")
        batch_op.drop_column("claimed_until")
