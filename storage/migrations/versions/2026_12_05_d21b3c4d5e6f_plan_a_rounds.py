"""Plan A at personalemøder: rounds on an indikator (a Plan A round, a status round), a status round's colours,
and each arbejdsplads's recorded status per indikator over the year.

Revision ID: d21b3c4d5e6f
Revises: c20a1b2c3d4e
Create Date: 2026-12-05 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d21b3c4d5e6f"
down_revision: str | None = "c20a1b2c3d4e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("topic", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("indikator_number", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("indikator_text", sa.String(length=500), nullable=True))
    with op.batch_alter_table("round_proposals") as batch:
        batch.add_column(sa.Column("colour", sa.String(length=30), nullable=True))
    op.create_table(
        "plan_a_statuses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("indikator_number", sa.Integer(), nullable=False),
        sa.Column("colour", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_plan_a_statuses_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["people.id"], name=op.f("fk_plan_a_statuses_actor_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_plan_a_statuses_round_id_rounds"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_a_statuses")),
    )
    op.create_index(
        "ix_plan_a_statuses_unit_indikator", "plan_a_statuses", ["unit_id", "indikator_number", "recorded_on"]
    )


def downgrade() -> None:
    op.drop_index("ix_plan_a_statuses_unit_indikator", table_name="plan_a_statuses")
    op.drop_table("plan_a_statuses")
    with op.batch_alter_table("round_proposals") as batch:
        batch.drop_column("colour")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("indikator_text")
        batch.drop_column("indikator_number")
        batch.drop_column("topic")
