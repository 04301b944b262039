"""The tema × niveau matrix counts eksempler received (domain.eksempel_status): those in a received status and those
pending at the indsamler's stage. The matrix's index gains the stage, so that the count is still read from it alone.

Revision ID: c21e5a7b9d02
Revises: d21b3c4d5e6f
Create Date: 2026-12-05 02:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c21e5a7b9d02"
down_revision: str | None = "d21b3c4d5e6f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_entries_kind_tema_niveau_status", table_name="entries")
    op.create_index("ix_entries_kind_tema_niveau_status", "entries", ["kind", "tema", "niveau", "status", "stage"])


def downgrade() -> None:
    op.drop_index("ix_entries_kind_tema_niveau_status", table_name="entries")
    op.create_index("ix_entries_kind_tema_niveau_status", "entries", ["kind", "tema", "niveau", "status"])
