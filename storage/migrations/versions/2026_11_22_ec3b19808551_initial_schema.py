"""Initial schema: organisation, målplaner, entries, decisions, routes, dates, conversation refs, bot state.

Revision ID: ec3b19808551
Revises:
Create Date: 2026-11-22 15:46:04.368715
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ec3b19808551"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_state",
        sa.Column("key", sa.String(length=1024), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_bot_state")),
    )
    op.create_table(
        "calendar_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_dates")),
        sa.UniqueConstraint("key", name=op.f("uq_calendar_dates_key")),
    )
    op.create_table(
        "routes",
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_routes")),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["units.id"], name=op.f("fk_units_parent_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("key", name=op.f("uq_units_key")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_units_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "maalplaner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_maalplaner_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maalplaner")),
        sa.UniqueConstraint("unit_id", "year", name="uq_maalplaner_unit_year"),
    )
    with op.batch_alter_table("maalplaner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_maalplaner_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aad_object_id", sa.String(length=64), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_people_unit_id_units"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("aad_object_id", name=op.f("uq_people_aad_object_id")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "conversation_refs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=500), nullable=False),
        sa.Column("conversation_type", sa.String(length=30), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_conversation_refs_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_refs")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_conversation_refs_conversation_id")),
    )
    with op.batch_alter_table("conversation_refs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_refs_person_id"), ["person_id"], unique=False)

    op.create_table(
        "maal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("maalplan_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("maalsaetning", sa.Text(), nullable=False),
        sa.Column("politik", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["maalplan_id"],
            ["maalplaner.id"],
            name=op.f("fk_maal_maalplan_id_maalplaner"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maal")),
        sa.UniqueConstraint("maalplan_id", "key", name="uq_maal_maalplan_key"),
    )
    with op.batch_alter_table("maal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_maal_maalplan_id"), ["maalplan_id"], unique=False)

    op.create_table(
        "role_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_role_assignments_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_role_assignments_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_assignments")),
        sa.UniqueConstraint("person_id", "role", "unit_id", name="uq_role_assignments_person_role_unit"),
    )
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_assignments_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_role_assignments_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "proevehandlinger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("maal_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["maal_id"], ["maal.id"], name=op.f("fk_proevehandlinger_maal_id_maal"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proevehandlinger")),
        sa.UniqueConstraint("maal_id", "key", name="uq_proevehandlinger_maal_key"),
    )
    with op.batch_alter_table("proevehandlinger", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proevehandlinger_maal_id"), ["maal_id"], unique=False)

    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("maal_id", sa.Integer(), nullable=True),
        sa.Column("proevehandling_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["maal_id"], ["maal.id"], name=op.f("fk_entries_maal_id_maal"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_entries_owner_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["proevehandling_id"],
            ["proevehandlinger.id"],
            name=op.f("fk_entries_proevehandling_id_proevehandlinger"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_entries_unit_id_units"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entries")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_entries_idempotency_key")),
    )
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entries_maal_id"), ["maal_id"], unique=False)
        batch_op.create_index("ix_entries_owner_created", ["owner_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_entries_proevehandling_id"), ["proevehandling_id"], unique=False)
        batch_op.create_index("ix_entries_status_stage", ["status", "stage"], unique=False)
        batch_op.create_index(batch_op.f("ix_entries_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=False),
        sa.Column("from_stage", sa.Integer(), nullable=True),
        sa.Column("to_stage", sa.Integer(), nullable=False),
        sa.Column("from_version", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["people.id"], name=op.f("fk_decisions_actor_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entries.id"], name=op.f("fk_decisions_entry_id_entries"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("entry_id", "from_version", name="uq_decisions_entry_from_version"),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_entry_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entries_unit_id"))
        batch_op.drop_index("ix_entries_status_stage")
        batch_op.drop_index(batch_op.f("ix_entries_proevehandling_id"))
        batch_op.drop_index("ix_entries_owner_created")
        batch_op.drop_index(batch_op.f("ix_entries_maal_id"))

    op.drop_table("entries")
    with op.batch_alter_table("proevehandlinger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proevehandlinger_maal_id"))

    op.drop_table("proevehandlinger")
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_assignments_unit_id"))
        batch_op.drop_index(batch_op.f("ix_role_assignments_person_id"))

    op.drop_table("role_assignments")
    with op.batch_alter_table("maal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_maal_maalplan_id"))

    op.drop_table("maal")
    with op.batch_alter_table("conversation_refs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_refs_person_id"))

    op.drop_table("conversation_refs")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_unit_id"))

    op.drop_table("people")
    with op.batch_alter_table("maalplaner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_maalplaner_unit_id"))

    op.drop_table("maalplaner")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_parent_id"))

    op.drop_table("units")
    op.drop_table("routes")
    op.drop_table("calendar_dates")
    op.drop_table("bot_state")
