"""A person's title from the organisation file (e.g. "HR"), shown after their name: »Stinne Grønne (HR)«.

Revision ID: a14d2b7c9e10
Revises: b19a7e5c2d10
Create Date: 2026-12-04 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a14d2b7c9e10"
down_revision: str | None = "b19a7e5c2d10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("title")
