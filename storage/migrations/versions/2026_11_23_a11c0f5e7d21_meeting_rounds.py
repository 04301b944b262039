"""Meeting rounds: a personalemøde round per chat and the proposals people add to it.

Revision ID: a11c0f5e7d21
Revises: a12b7e0d4c91
Create Date: 2026-11-23 09:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a11c0f5e7d21"
down_revision: str | None = "a12b7e0d4c91"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=500), nullable=False),
        sa.Column("live_in", sa.String(length=500), nullable=True),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("starter_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("maal_id", sa.Integer(), nullable=True),
        sa.Column("proevehandling_id", sa.Integer(), nullable=True),
        sa.Column("tema", sa.String(length=30), nullable=True),
        sa.Column("niveau", sa.String(length=30), nullable=True),
        sa.Column("show_names", sa.Boolean(), nullable=False),
        sa.Column("hide_until_close", sa.Boolean(), nullable=False),
        sa.Column("roster", sa.JSON(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("setup_activity_id", sa.String(length=200), nullable=True),
        sa.Column("activity_id", sa.String(length=200), nullable=True),
        sa.Column("base_shown", sa.String(length=100), nullable=False),
        sa.Column("base_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("forwarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["starter_id"], ["people.id"], name=op.f("fk_rounds_starter_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["people.id"], name=op.f("fk_rounds_closed_by_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_rounds_unit_id_units"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["maal_id"], ["maal.id"], name=op.f("fk_rounds_maal_id_maal"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(
            ["proevehandling_id"],
            ["proevehandlinger.id"],
            name=op.f("fk_rounds_proevehandling_id_proevehandlinger"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
        sa.UniqueConstraint("live_in", name=op.f("uq_rounds_live_in")),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rounds_conversation_id"), ["conversation_id"], unique=False)
        batch_op.create_index("ix_rounds_status_opened", ["status", "opened_at"], unique=False)

    op.create_table(
        "round_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_key", sa.String(length=64), nullable=False),
        sa.Column("tema", sa.String(length=30), nullable=True),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("forwarded_text", sa.Text(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_proposals_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["people.id"], name=op.f("fk_round_proposals_author_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entries.id"], name=op.f("fk_round_proposals_entry_id_entries"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_proposals")),
        sa.UniqueConstraint("round_id", "author_id", "text_key", name="uq_round_proposals_round_author_text"),
    )
    with op.batch_alter_table("round_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_proposals_round_id"), ["round_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("round_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_proposals_round_id"))
    op.drop_table("round_proposals")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_index("ix_rounds_status_opened")
        batch_op.drop_index(batch_op.f("ix_rounds_conversation_id"))
    op.drop_table("rounds")
