"""The workbench tab: ticks kept per person across pages, and the arbejdsgruppe's »forslag til udvælgelse«.

Revision ID: b19a7e5c2d10
Revises: a14d2c6f0b31
Create Date: 2026-12-04 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b19a7e5c2d10"
down_revision: str | None = "a14d2c6f0b31"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workbench_ticks",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_workbench_ticks_person_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entries.id"], name="fk_workbench_ticks_entry_id_entries", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", "entry_id", name="pk_workbench_ticks"),
    )
    op.create_table(
        "selection_proposals",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_selection_proposals_person_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entries.id"], name="fk_selection_proposals_entry_id_entries", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", "entry_id", name="pk_selection_proposals"),
    )
    op.create_index("ix_selection_proposals_entry_id", "selection_proposals", ["entry_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_selection_proposals_entry_id", table_name="selection_proposals")
    op.drop_table("selection_proposals")
    op.drop_table("workbench_ticks")
