"""Plan A: perspektiver, indikatorer and the mandatory set per year; each arbejdsplads's Plan A with its history;
MUS and LUS preparation cards with the person's notes.

Revision ID: a15f0a1a2b3c
Revises: a14d2b7c9e10
Create Date: 2026-12-04 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a15f0a1a2b3c"
down_revision: str | None = "a14d2b7c9e10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "perspektiver",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perspektiver")),
        sa.UniqueConstraint("key", name=op.f("uq_perspektiver_key")),
    )
    op.create_table(
        "indikatorer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("perspektiv_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["perspektiv_id"],
            ["perspektiver.id"],
            name=op.f("fk_indikatorer_perspektiv_id_perspektiver"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indikatorer")),
        sa.UniqueConstraint("number", name=op.f("uq_indikatorer_number")),
    )
    op.create_index(op.f("ix_indikatorer_perspektiv_id"), "indikatorer", ["perspektiv_id"], unique=False)
    op.create_table(
        "mandatory_indikatorer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("indikator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indikator_id"],
            ["indikatorer.id"],
            name=op.f("fk_mandatory_indikatorer_indikator_id_indikatorer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mandatory_indikatorer")),
        sa.UniqueConstraint("year", "indikator_id", name="uq_mandatory_indikatorer_year_indikator"),
    )
    op.create_index(op.f("ix_mandatory_indikatorer_year"), "mandatory_indikatorer", ["year"], unique=False)
    op.create_table(
        "plan_a",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.Text(), nullable=False),
        sa.Column("form_decided_on", sa.Date(), nullable=True),
        sa.Column("in_use_since", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_plan_a_unit_id_units"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_a")),
        sa.UniqueConstraint("unit_id", name=op.f("uq_plan_a_unit_id")),
    )
    op.create_table(
        "plan_a_indikatorer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_a_id", sa.Integer(), nullable=False),
        sa.Column("indikator_id", sa.Integer(), nullable=False),
        sa.Column("chosen", sa.Boolean(), nullable=False),
        sa.Column("forskel", sa.Text(), nullable=False),
        sa.Column("kendetegn", sa.Text(), nullable=False),
        sa.Column("maal_tegn", sa.Text(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indikator_id"],
            ["indikatorer.id"],
            name=op.f("fk_plan_a_indikatorer_indikator_id_indikatorer"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_a_id"], ["plan_a.id"], name=op.f("fk_plan_a_indikatorer_plan_a_id_plan_a"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_a_indikatorer")),
        sa.UniqueConstraint("plan_a_id", "indikator_id", name="uq_plan_a_indikatorer_plan_indikator"),
    )
    op.create_index(op.f("ix_plan_a_indikatorer_plan_a_id"), "plan_a_indikatorer", ["plan_a_id"], unique=False)
    op.create_table(
        "plan_a_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_a_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("indikator_number", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=30), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["people.id"], name=op.f("fk_plan_a_changes_actor_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["plan_a_id"], ["plan_a.id"], name=op.f("fk_plan_a_changes_plan_a_id_plan_a"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_a_changes")),
    )
    op.create_index(op.f("ix_plan_a_changes_plan_a_id"), "plan_a_changes", ["plan_a_id"], unique=False)
    op.create_table(
        "conversation_preps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("activity_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notes_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["people.id"], name=op.f("fk_conversation_preps_recipient_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["people.id"], name=op.f("fk_conversation_preps_sender_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_conversation_preps_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_preps")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_conversation_preps_dedupe_key")),
    )
    op.create_index(op.f("ix_conversation_preps_recipient_id"), "conversation_preps", ["recipient_id"], unique=False)
    op.create_index(op.f("ix_conversation_preps_sender_id"), "conversation_preps", ["sender_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_conversation_preps_sender_id"), table_name="conversation_preps")
    op.drop_index(op.f("ix_conversation_preps_recipient_id"), table_name="conversation_preps")
    op.drop_table("conversation_preps")
    op.drop_index(op.f("ix_plan_a_changes_plan_a_id"), table_name="plan_a_changes")
    op.drop_table("plan_a_changes")
    op.drop_index(op.f("ix_plan_a_indikatorer_plan_a_id"), table_name="plan_a_indikatorer")
    op.drop_table("plan_a_indikatorer")
    op.drop_table("plan_a")
    op.drop_index(op.f("ix_mandatory_indikatorer_year"), table_name="mandatory_indikatorer")
    op.drop_table("mandatory_indikatorer")
    op.drop_index(op.f("ix_indikatorer_perspektiv_id"), table_name="indikatorer")
    op.drop_table("indikatorer")
    op.drop_table("perspektiver")
