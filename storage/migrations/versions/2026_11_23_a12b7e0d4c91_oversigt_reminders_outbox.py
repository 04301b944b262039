"""Oversigt: reminder claims (once per unit, deadline and offset), the outbox for reminders and digests, and the
index the overview's counts read.

Revision ID: a12b7e0d4c91
Revises: a13c1a1ed0e1
Create Date: 2026-11-23 09:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a12b7e0d4c91"
down_revision: str | None = "a13c1a1ed0e1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("deadline_key", sa.String(length=100), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_reminders_unit_id_units"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["people.id"], name=op.f("fk_reminders_sent_by_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint(
            "unit_id", "deadline_key", "deadline", "offset_days", "manual", name="uq_reminders_unit_deadline_offset"
        ),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_outbox_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"], ["reminders.id"], name=op.f("fk_outbox_reminder_id_reminders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_dedupe_key")),
    )
    op.create_index("ix_outbox_kind_status", "outbox", ["kind", "status"], unique=False)
    op.create_index(op.f("ix_outbox_person_id"), "outbox", ["person_id"], unique=False)
    op.create_index(op.f("ix_outbox_reminder_id"), "outbox", ["reminder_id"], unique=False)
    # The overview counts entries of one kind by unit and status, and eksempler by tema, niveau and status. The
    # tema and niveau are generated columns (STORED on PostgreSQL, VIRTUAL on SQLite), so that those counts read
    # an index instead of parsing every entry's JSON.
    # (SQLite can add only VIRTUAL generated columns to an existing table; PostgreSQL before 18 only STORED ones.)
    stored = True if op.get_bind().dialect.name == "postgresql" else None
    for name in ("tema", "niveau"):
        computed = sa.Computed(f"data ->> '{name}'", persisted=stored)
        op.add_column("entries", sa.Column(name, sa.String(length=30), computed, nullable=True))
    op.create_index("ix_entries_kind_unit_status", "entries", ["kind", "unit_id", "status", "stage"], unique=False)
    op.create_index("ix_entries_kind_tema_niveau_status", "entries", ["kind", "tema", "niveau", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_entries_kind_tema_niveau_status", table_name="entries")
    op.drop_index("ix_entries_kind_unit_status", table_name="entries")
    with op.batch_alter_table("entries") as batch_op:
        batch_op.drop_column("niveau")
        batch_op.drop_column("tema")
    op.drop_index(op.f("ix_outbox_reminder_id"), table_name="outbox")
    op.drop_index(op.f("ix_outbox_person_id"), table_name="outbox")
    op.drop_index("ix_outbox_kind_status", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("reminders")
