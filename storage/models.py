"""SQLAlchemy 2 typed models: the organisation, målplaner, entries with their decisions, and bot state."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from core import clock
from core.vocabulary import (
    Action,
    Colour,
    ConversationType,
    EntryKind,
    EntryStatus,
    Niveau,
    NotificationKind,
    NotificationStatus,
    OutboxKind,
    Role,
    RoundStatus,
    RoundTopic,
    SelectionStage,
    Tema,
    UnitKind,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Vocabulary(TypeDecorator[Any]):
    """A column holding one of the domain's StrEnums: stored as its string value, read back as the member."""

    impl = String(30)
    cache_ok = True

    def __init__(self, enum: type[Any]):
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        # A dict lookup first: this runs for every enum column of every row read (issue 14: turn cost).
        member = self.enum._value2member_map_.get(value)
        return member if member is not None else self.enum(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        UnitKind: Vocabulary(UnitKind),
        Role: Vocabulary(Role),
        EntryKind: Vocabulary(EntryKind),
        EntryStatus: Vocabulary(EntryStatus),
        Action: Vocabulary(Action),
        NotificationKind: Vocabulary(NotificationKind),
        NotificationStatus: Vocabulary(NotificationStatus),
        ConversationType: Vocabulary(ConversationType),
    }


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column()
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], lazy="raise")


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    aad_object_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    # What people know them as, from the organisation file (e.g. "HR"): »Sendt til Stinne Grønne (HR)«.
    title: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    unit: Mapped[Unit | None] = relationship(lazy="raise")
    roles: Mapped[list[RoleAssignment]] = relationship(back_populates="person", lazy="raise")


class RoleAssignment(Base):
    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("person_id", "role", "unit_id", name="uq_role_assignments_person_role_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column()
    # The unit the role is held for: the leder's unit, the chef's afdeling. None for organisation-wide roles.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)

    person: Mapped[Person] = relationship(back_populates="roles", lazy="raise")
    unit: Mapped[Unit | None] = relationship(lazy="raise")


class Maalplan(Base):
    __tablename__ = "maalplaner"
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_maalplaner_unit_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))

    unit: Mapped[Unit] = relationship(lazy="raise")
    maal: Mapped[list[Maal]] = relationship(back_populates="maalplan", lazy="raise", order_by="Maal.position")


class Maal(Base):
    __tablename__ = "maal"
    __table_args__ = (UniqueConstraint("maalplan_id", "key", name="uq_maal_maalplan_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    maalplan_id: Mapped[int] = mapped_column(ForeignKey("maalplaner.id", ondelete="RESTRICT"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    maalsaetning: Mapped[str] = mapped_column(Text, default="")
    politik: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # The Plan A indikator (its number) the mål's tegn, prøvehandlinger and læring belong to by default (optional).
    indikator: Mapped[int | None] = mapped_column(Integer)

    maalplan: Mapped[Maalplan] = relationship(back_populates="maal", lazy="raise")
    proevehandlinger: Mapped[list[Proevehandling]] = relationship(
        back_populates="maal", lazy="raise", order_by="Proevehandling.position"
    )


class Proevehandling(Base):
    __tablename__ = "proevehandlinger"
    __table_args__ = (UniqueConstraint("maal_id", "key", name="uq_proevehandlinger_maal_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    maal_id: Mapped[int] = mapped_column(ForeignKey("maal.id", ondelete="RESTRICT"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    # When it became part of the målplan: None for one from the organisation file (there from the start); set
    # when an approved proposal becomes a prøvehandling. The export places it in the årshjul's phases by it.
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    maal: Mapped[Maal] = relationship(back_populates="proevehandlinger", lazy="raise")


class CalendarDate(Base):
    """A deadline or an årshjul phase, as data (e.g. eksempler due 1 November; udviklingsdage del 1)."""

    __tablename__ = "calendar_dates"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)


class Route(Base):
    """Who decides, stage by stage, for one kind of entry (from the organisation file)."""

    __tablename__ = "routes"

    kind: Mapped[EntryKind] = mapped_column(primary_key=True)
    stages: Mapped[list[Any]] = mapped_column(JSON)


TEMA_EXPRESSION = "data ->> 'tema'"
NIVEAU_EXPRESSION = "data ->> 'niveau'"
# The Plan A indikator a tegn, prøvehandling or læring is linked to (its number; domain.entries), as an integer.
INDIKATOR_EXPRESSION = "CAST(data ->> 'indikator' AS INTEGER)"


class Entry(Base):
    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_status_stage", "status", "stage"),
        Index("ix_entries_owner_created", "owner_id", "created_at"),
        # Oversigt: counts of one kind by unit and status.
        Index("ix_entries_kind_unit_status", "kind", "unit_id", "status", "stage"),
        Index("ix_entries_kind_tema_niveau_status", "kind", "tema", "niveau", "status", "stage"),
        # Coverage of every mål (Chefforum): counts by mål, kind and status, read from the index alone.
        Index("ix_entries_maal_kind_status", "maal_id", "kind", "status"),
        # Plan A's overview: entries per unit and indikator.
        Index("ix_entries_unit_indikator", "unit_id", "indikator"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntryKind] = mapped_column()
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    maal_id: Mapped[int | None] = mapped_column(ForeignKey("maal.id", ondelete="RESTRICT"), index=True)
    proevehandling_id: Mapped[int | None] = mapped_column(
        ForeignKey("proevehandlinger.id", ondelete="RESTRICT"), index=True
    )
    # Kind-specific fields, validated by the pydantic model for the kind (domain.entries).
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    # An eksempel's tema and niveau, computed by the database from `data` (read-only), so that the overview's
    # counts read an index instead of parsing JSON. The same expression works on PostgreSQL and SQLite ≥ 3.38.
    tema: Mapped[str | None] = mapped_column(String(30), Computed(TEMA_EXPRESSION))
    niveau: Mapped[str | None] = mapped_column(String(30), Computed(NIVEAU_EXPRESSION))
    # The Plan A indikator the entry is linked to, computed from `data` likewise (read-only).
    indikator: Mapped[int | None] = mapped_column(Integer, Computed(INDIKATOR_EXPRESSION))
    status: Mapped[EntryStatus] = mapped_column()
    # Index into the route's stages while the entry is pending.
    stage: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped on every change, so that a decision can be made conditional on what the actor saw.
    version: Mapped[int] = mapped_column(Integer, default=1)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    owner: Mapped[Person] = relationship(lazy="raise")
    unit: Mapped[Unit] = relationship(lazy="raise")
    maal: Mapped[Maal | None] = relationship(lazy="raise")
    proevehandling: Mapped[Proevehandling | None] = relationship(lazy="raise")
    decisions: Mapped[list[Decision]] = relationship(back_populates="entry", lazy="raise", order_by="Decision.id")


class Decision(Base):
    """One status change. Rows are only ever inserted: this is the audit history."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("entry_id", "from_version", name="uq_decisions_entry_from_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="RESTRICT"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    action: Mapped[Action] = mapped_column()
    from_status: Mapped[EntryStatus | None] = mapped_column()
    to_status: Mapped[EntryStatus] = mapped_column()
    from_stage: Mapped[int | None] = mapped_column(Integer)
    to_stage: Mapped[int] = mapped_column(Integer)
    # The entry version the actor saw; unique per entry, so a decision can never be recorded twice.
    from_version: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    # An eksempel's selection outcome: the forum that decided and the day it met (not the day it was recorded).
    forum: Mapped[str | None] = mapped_column(String(100))
    occurred_on: Mapped[dt.date | None] = mapped_column(Date)
    # »Ret og godkend«: the entry's fields as they were before the approver corrected the wording (the entry
    # now holds the corrected ones); None when nothing was corrected.
    original_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    entry: Mapped[Entry] = relationship(back_populates="decisions", lazy="raise")
    actor: Mapped[Person] = relationship(lazy="raise")


class ConversationRef(Base):
    """A stored conversation reference, for proactive messages: a person's personal chat, or a group chat."""

    __tablename__ = "conversation_refs"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(500), unique=True)
    conversation_type: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class Notification(Base):
    """A message the bot owes a person about an entry: an approval card, or a decision for the owner."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_person_status", "person_id", "status"),
        Index("ix_notifications_status_claimed", "status", "claimed_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = mapped_column()
    status: Mapped[NotificationStatus] = mapped_column(
        Vocabulary(NotificationStatus), default=NotificationStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    # The message id in the person's chat, so that an approval card can be updated there later.
    activity_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # While set and in the future, one instance is delivering this notification; after a crash it runs out and
    # the next sweep (at start-up, then periodically) delivers it.
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class BotStateItem(Base):
    """A botbuilder Storage document (dialog and conversation state), with its eTag."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(1024), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    etag: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now, onupdate=clock.now)


# --- Oversigt: reminders and the outbox -------------------------------------------------------------------------


class Reminder(Base):
    """A unit reminded of a deadline: claimed once per unit, deadline and offset, by the unique constraint.

    Scheduled reminders carry the offset (days before the deadline) they were due at; a reminder the indsamler
    sends by hand is `manual`, with the days left on the day she sent it, so a second click that day is a repeat.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint(
            "unit_id", "deadline_key", "deadline", "offset_days", "manual", name="uq_reminders_unit_deadline_offset"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    deadline_key: Mapped[str] = mapped_column(String(100))
    deadline: Mapped[dt.date] = mapped_column(Date)
    offset_days: Mapped[int] = mapped_column(Integer)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class OutboxMessage(Base):
    """A card owed to one person that is about no single entry: a reminder, a weekly digest or the indsamler's
    daily digest.

    `dedupe_key` is unique, so a message is queued once however many instances try; `claimed_at` is set by the
    one delivery that took it, so a restart or a second instance never sends it again.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_kind_status", "kind", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OutboxKind] = mapped_column(Vocabulary(OutboxKind))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminders.id", ondelete="CASCADE"), index=True)
    status: Mapped[NotificationStatus] = mapped_column(
        Vocabulary(NotificationStatus), default=NotificationStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    activity_id: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# --- Meeting rounds (personalemøde) ----------------------------------------------------------------------------


class Round(Base):
    """A personalemøde round in one chat: its starter, what it asks about, its settings, and the shared card."""

    __tablename__ = "rounds"
    __table_args__ = (Index("ix_rounds_status_opened", "status", "opened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(500), index=True)
    # The chat's id while the round is being set up or is open, NULL afterwards: the unique constraint keeps
    # one live round per chat, whichever bot instance starts it.
    live_in: Mapped[str | None] = mapped_column(String(500), unique=True)
    # The conversation reference, for updating the shared card and posting the summary from the background.
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    starter_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    status: Mapped[RoundStatus] = mapped_column(Vocabulary(RoundStatus))
    kind: Mapped[EntryKind | None] = mapped_column()
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    maal_id: Mapped[int | None] = mapped_column(ForeignKey("maal.id", ondelete="RESTRICT"))
    proevehandling_id: Mapped[int | None] = mapped_column(ForeignKey("proevehandlinger.id", ondelete="RESTRICT"))
    # An eksempel round: one tema (None: all four) at one level.
    tema: Mapped[Tema | None] = mapped_column(Vocabulary(Tema))
    niveau: Mapped[Niveau | None] = mapped_column(Vocabulary(Niveau))
    # A round on the unit's Plan A (issue 21): its topic and the indikator it asks about (`kind` is then None).
    topic: Mapped[RoundTopic | None] = mapped_column(Vocabulary(RoundTopic))
    indikator_number: Mapped[int | None] = mapped_column(Integer)
    # The indikator's text as the round asked about it (the organisation file may word it differently later).
    indikator_text: Mapped[str | None] = mapped_column(String(500))
    show_names: Mapped[bool] = mapped_column(Boolean, default=True)
    hide_until_close: Mapped[bool] = mapped_column(Boolean, default=False)
    # Teams user ids (MRIs) from the chat's roster, at most 60: the card's refresh.userIds. member_count tells
    # whether the chat is larger (then "Vis mit kort" refreshes on demand).
    roster: Mapped[list[Any]] = mapped_column(JSON, default=list)
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    setup_activity_id: Mapped[str | None] = mapped_column(String(200))
    activity_id: Mapped[str | None] = mapped_column(String(200))
    # What the shared base card last showed, and when it was last updated: the database decides which
    # instance sends the next coalesced update (see domain.rounds.claim_base_update).
    base_shown: Mapped[str] = mapped_column(String(100), default="")
    base_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    opened_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    forwarded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    starter: Mapped[Person] = relationship(lazy="raise", foreign_keys=[starter_id])
    unit: Mapped[Unit | None] = relationship(lazy="raise")
    maal: Mapped[Maal | None] = relationship(lazy="raise")
    proevehandling: Mapped[Proevehandling | None] = relationship(lazy="raise")
    proposals: Mapped[list[RoundProposal]] = relationship(
        back_populates="round", lazy="raise", order_by="RoundProposal.id"
    )


class RoundProposal(Base):
    """One person's proposal in a round. The same text from the same person is stored once (a Teams retry,
    a double click, the same line typed twice)."""

    __tablename__ = "round_proposals"
    __table_args__ = (
        UniqueConstraint("round_id", "author_id", "text_key", name="uq_round_proposals_round_author_text"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    # As the author wrote it; kept even when the starter corrects the wording before forwarding.
    text: Mapped[str] = mapped_column(Text)
    text_key: Mapped[str] = mapped_column(String(64))
    # An eksempel round on all four temaer: the tema the author chose.
    tema: Mapped[Tema | None] = mapped_column(Vocabulary(Tema))
    # A status round: the colour the author gave (the text is their one sentence).
    colour: Mapped[Colour | None] = mapped_column(Vocabulary(Colour))
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    # Filled when the starter forwards it: the wording sent on, and the entry it became.
    forwarded_text: Mapped[str | None] = mapped_column(Text)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="SET NULL"))

    round: Mapped[Round] = relationship(back_populates="proposals", lazy="raise")
    author: Mapped[Person] = relationship(lazy="raise")


# --- Eksempler (issue 10) --------------------------------------------------------------------------------------


class SelectionStageRow(Base):
    """A stage of the eksempel selection and the fora that decide at it, in order (from the organisation file)."""

    __tablename__ = "selection_stages"

    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    stage: Mapped[SelectionStage] = mapped_column(Vocabulary(SelectionStage), unique=True)
    fora: Mapped[list[Any]] = mapped_column(JSON)


# --- The workbench tab (issue 19) -------------------------------------------------------------------------------


class WorkbenchTick(Base):
    """An eksempel a person has ticked in the tab's table: kept across pages and filters until used or cleared."""

    __tablename__ = "workbench_ticks"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class SelectionProposal(Base):
    """A member of the arbejdsgruppe proposes an eksempel for the arbejdsgruppe's selection (»forslag til
    udvælgelse«); the indsamler sees who proposed what before she records the outcome."""

    __tablename__ = "selection_proposals"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


# --- Plan A (issue 21) -----------------------------------------------------------------------------------------


class Perspektiv(Base):
    """One of the styringskoncept's three perspektiver (Opgaver, Adfærd, Struktur), from the organisation file."""

    __tablename__ = "perspektiver"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")


class Indikator(Base):
    """One of the eight indikatorer, numbered as the organisation numbers them, under its perspektiv."""

    __tablename__ = "indikatorer"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    perspektiv_id: Mapped[int] = mapped_column(ForeignKey("perspektiver.id", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(String(500))

    perspektiv: Mapped[Perspektiv] = relationship(lazy="raise")


class MandatoryIndikator(Base):
    """An indikator Chefforum made mandatory for every arbejdsplads's Plan A in one year."""

    __tablename__ = "mandatory_indikatorer"
    __table_args__ = (UniqueConstraint("year", "indikator_id", name="uq_mandatory_indikatorer_year_indikator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    indikator_id: Mapped[int] = mapped_column(ForeignKey("indikatorer.id", ondelete="CASCADE"))


class PlanA(Base):
    """An arbejdsplads's Plan A: its chosen form, when the form was decided and since when it is in use."""

    __tablename__ = "plan_a"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), unique=True)
    form: Mapped[str] = mapped_column(Text, default="")
    form_decided_on: Mapped[dt.date | None] = mapped_column(Date)
    in_use_since: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class PlanAIndikator(Base):
    """What an arbejdsplads writes for one indikator: the difference, how it will see it, and its documents."""

    __tablename__ = "plan_a_indikatorer"
    __table_args__ = (UniqueConstraint("plan_a_id", "indikator_id", name="uq_plan_a_indikatorer_plan_indikator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_a_id: Mapped[int] = mapped_column(ForeignKey("plan_a.id", ondelete="CASCADE"), index=True)
    indikator_id: Mapped[int] = mapped_column(ForeignKey("indikatorer.id", ondelete="RESTRICT"))
    # A further indikator the leder chose (agreed with the chef), beside the year's mandatory ones.
    chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    forskel: Mapped[str] = mapped_column(Text, default="")
    kendetegn: Mapped[str] = mapped_column(Text, default="")
    # The tegn of the unit's mål that show it, named by the leder where that fits.
    maal_tegn: Mapped[str] = mapped_column(Text, default="")
    # [{"title": …, "url": …}]: links to documents such as the APV-handleplan.
    documents: Mapped[list[Any]] = mapped_column(JSON, default=list)


class PlanAChange(Base):
    """One change to a Plan A: who, when, which field (of which indikator) and what it was and became."""

    __tablename__ = "plan_a_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_a_id: Mapped[int] = mapped_column(ForeignKey("plan_a.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    indikator_number: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(30))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    actor: Mapped[Person] = relationship(lazy="raise")


class PlanAStatus(Base):
    """The unit's status on one indikator as its leder recorded it (often after a status round): a colour, a
    short text and the date it is for. Never changed: the rows of one indikator are its progress over the year."""

    __tablename__ = "plan_a_statuses"
    __table_args__ = (Index("ix_plan_a_statuses_unit_indikator", "unit_id", "indikator_number", "recorded_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    indikator_number: Mapped[int] = mapped_column(Integer)
    colour: Mapped[Colour] = mapped_column(Vocabulary(Colour))
    text: Mapped[str] = mapped_column(Text, default="")
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    actor_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    # The status round it came from, if any.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    actor: Mapped[Person] = relationship(lazy="raise")


class ConversationPrep(Base):
    """A MUS or LUS preparation card sent to one person by the one who leads them, with that person's notes
    (seen only by the two of them). `dedupe_key` is unique: a re-sent request sends the card once."""

    __tablename__ = "conversation_preps"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    notes: Mapped[str] = mapped_column(Text, default="")
    activity_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    notes_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
