"""Tegn, prøvehandlinger and læring linked to a Plan A indikator: the number a mål's entries default to, and the
entry's indikator as a generated column (from its data) with an index for Plan A's overview.

Revision ID: d21b4c5e6f70
Revises: c21e5a7b9d02
Create Date: 2026-12-05 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d21b4c5e6f70"
down_revision: str | None = "c21e5a7b9d02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("maal", sa.Column("indikator", sa.Integer(), nullable=True))
    # SQLite can add only VIRTUAL generated columns to an existing table; PostgreSQL before 18 only STORED ones.
    stored = True if op.get_bind().dialect.name == "postgresql" else None
    computed = sa.Computed("CAST(data ->> 'indikator' AS INTEGER)", persisted=stored)
    op.add_column("entries", sa.Column("indikator", sa.Integer(), computed, nullable=True))
    op.create_index("ix_entries_unit_indikator", "entries", ["unit_id", "indikator"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_entries_unit_indikator", table_name="entries")
    # ALTER TABLE … DROP COLUMN on both (SQLite ≥ 3.35): a batch copy of `entries` would trip on its generated
    # columns.
    op.drop_column("entries", "indikator")
    op.drop_column("maal", "indikator")
