"""Coverage of every mål: an index that answers »how many entries of each kind and status per mål« on its own.

Revision ID: c20a1b2c3d4e
Revises: a15f0a1a2b3c
Create Date: 2026-12-05 01:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c20a1b2c3d4e"
down_revision: str | None = "a15f0a1a2b3c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_entries_maal_kind_status", "entries", ["maal_id", "kind", "status"])


def downgrade() -> None:
    op.drop_index("ix_entries_maal_kind_status", table_name="entries")
