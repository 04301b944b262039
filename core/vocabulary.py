"""The domain's vocabulary: every kind, status, role and action as an enum; in the leaf package core.

The stored values are the Danish codes the database has always held; code uses the enum members only.
"""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    DIREKTOROMRAADE = "direktørområde"
    AFDELING = "afdeling"
    ARBEJDSPLADS = "arbejdsplads"
    # A ledergruppe or a team that is no arbejdsplads (seed 004: »alle afdelinger, teams og ledergrupper« send
    # eksempler): it has a leder or tovholder, and sends eksempler in its own name.
    GRUPPE = "gruppe"


# The units that send eksempler: they appear in the indsamler's »mangler« lists and get the reminders.
EKSEMPEL_SENDERS = frozenset({UnitKind.ARBEJDSPLADS, UnitKind.GRUPPE})


class Role(StrEnum):
    LEDER = "leder"
    CHEF = "chef"
    INDSAMLER = "indsamler"
    ADMINISTRATOR = "administrator"
    # Quality-assures tegn and prøvehandlinger across the organisation (organisation-wide: no unit).
    CHEFFORUM = "chefforum"
    # A målplan's tovholder: held for the målplan's unit; may act as the chef on its tegn, læring and export.
    TOVHOLDER = "tovholder"
    # A member of the arbejdsgruppe: reads every eksempel received and marks »forslag til udvælgelse«.
    ARBEJDSGRUPPE = "arbejdsgruppe"


# The roles that can be a stage of a route, i.e. that decide on entries.
DECIDING_ROLES = frozenset({Role.LEDER, Role.CHEF, Role.INDSAMLER})


class EntryKind(StrEnum):
    TEGN = "tegn"
    LAERING = "laering"
    EKSEMPEL = "eksempel"
    # A proposed prøvehandling for a mål; once the chef approves it, it is one of the mål's prøvehandlinger.
    PROEVEHANDLING = "proevehandling"


# The kinds that belong to a målplan (a mål, and through it a unit); eksempler belong to the grundlag.
MAALPLAN_KINDS = frozenset({EntryKind.TEGN, EntryKind.LAERING, EntryKind.PROEVEHANDLING})


class EntryStatus(StrEnum):
    PENDING = "afventer"  # waiting at route stage `stage`
    SENT_BACK = "sendt_tilbage"
    REJECTED = "afvist"
    APPROVED = "godkendt"  # passed the last stage of its route (an eksempel: received by the indsamler)
    WITHDRAWN = "trukket_tilbage"
    # The eksempel selection after the indsamler has received it: arbejdsgruppe → Chefforum/Direktørforum →
    # KommuneMED. Each forum's outcome moves the eksempel on or stops it.
    SELECTED = "udvalgt"
    NOT_SELECTED = "ikke_udvalgt"
    QUALIFIED = "kvalificeret"
    NOT_QUALIFIED = "ikke_kvalificeret"
    ADOPTED = "vedtaget"
    NOT_ADOPTED = "ikke_vedtaget"


# The statuses of an eksempel the indsamler has received, wherever it now is in the selection (one waiting for her
# is received too: domain.eksempel_status is the one definition of »received«, »sent« and »missing«).
EKSEMPEL_RECEIVED = frozenset(
    {
        EntryStatus.APPROVED,
        EntryStatus.SELECTED,
        EntryStatus.NOT_SELECTED,
        EntryStatus.QUALIFIED,
        EntryStatus.NOT_QUALIFIED,
        EntryStatus.ADOPTED,
        EntryStatus.NOT_ADOPTED,
    }
)
# … that the arbejdsgruppe selected (whatever the later fora did).
EKSEMPEL_SELECTED = frozenset(
    {
        EntryStatus.SELECTED,
        EntryStatus.QUALIFIED,
        EntryStatus.NOT_QUALIFIED,
        EntryStatus.ADOPTED,
        EntryStatus.NOT_ADOPTED,
    }
)
# … that KommuneMED approved: part of the finished grundlag.
EKSEMPEL_ADOPTED = frozenset({EntryStatus.ADOPTED})


class Tema(StrEnum):
    """The four temaer of the medarbejder- og ledelsesgrundlag."""

    VORES_OPGAVE = "vores_opgave"
    HELHED = "helhed"
    RELATIONER = "relationer"
    MOD = "mod"


class Niveau(StrEnum):
    """Whose behaviour an eksempel describes."""

    MEDARBEJDER = "medarbejder"
    LEDER = "leder"


class SelectionStage(StrEnum):
    """A stage of an eksempel's selection after the indsamler received it; the fora of each come from the
    organisation file (domain.policy says which outcomes each stage has)."""

    UDVAELGELSE = "udvaelgelse"  # the arbejdsgruppe's first selection
    KVALIFICERING = "kvalificering"  # Chefforum and/or Direktørforum
    GODKENDELSE = "godkendelse"  # KommuneMED


class Afsender(StrEnum):
    """Whom an eksempel is from: the writer, or their unit/team by name."""

    PERSON = "person"
    ENHED = "enhed"


class EksempelTip(StrEnum):
    """Why an eksempel may not yet show behaviour (domain.coaching; the card explains each with a good example)."""

    VALUE = "value"  # states a value: "Vi har tillid til hinanden"
    INTENTION = "intention"  # states an intention: "Vi skal være modige"
    TOO_SHORT = "too_short"  # too few words to describe a situation and what we do in it


class ProevehandlingTip(StrEnum):
    """Why a proposed prøvehandling may not yet be one (domain.coaching; the card explains each with a good example)."""

    ONLY_A_GOAL = "only_a_goal"  # states where we want to get ("Flere børn skal …"), not what we will do
    NO_EFFECT_SEEN = "no_effect_seen"  # says nothing about how we will see whether it works


class Action(StrEnum):
    """What a person does to an entry. Each one done is recorded as a storage `Decision` row (the history)."""

    SUBMIT = "indsend"
    RECOMMEND = "anbefal"
    APPROVE = "godkend"
    SEND_BACK = "send_tilbage"
    REJECT = "afvis"
    WITHDRAW = "traek_tilbage"
    RESUBMIT = "genindsend"
    # The indsamler's actions on a received eksempel (see domain.policy, the selection).
    RECORD_OUTCOME = "registrer_udfald"
    MARK_FILM = "filmkandidat"
    UNMARK_FILM = "ikke_filmkandidat"


# The actions of the person whose turn it is; the rest belong to the owner.
APPROVER_ACTIONS = frozenset({Action.RECOMMEND, Action.APPROVE, Action.SEND_BACK, Action.REJECT})
COMMENT_REQUIRED = frozenset({Action.SEND_BACK, Action.REJECT})


class NotificationKind(StrEnum):
    APPROVAL = "approval"  # an approval card for the person whose turn it is
    DECISION = "decision"  # the owner's news after a decision
    # An eksempel's good news, for its owner and the unit's leder: udvalgt af arbejdsgruppen; godkendt i KommuneMED.
    EKSEMPEL_SELECTED = "eksempel_selected"
    EKSEMPEL_ADOPTED = "eksempel_adopted"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    # No conversation reference yet, or Teams refused for good (403): the person is told when they next write.
    UNDELIVERED = "undelivered"
    TOLD = "told"


class ConversationType(StrEnum):
    PERSONAL = "personal"
    GROUP_CHAT = "groupChat"
    CHANNEL = "channel"


# --- Oversigt: scheduled messages -------------------------------------------------------------------------------


class OutboxKind(StrEnum):
    """A message the scheduler or the indsamler sends that is about no single entry."""

    REMINDER = "reminder"  # a leder is reminded that their unit has not delivered before a deadline
    DIGEST = "digest"  # an approver's weekly list of entries that have waited too long
    # A leder is reminded, before a Chefforum quality-assurance date, that their unit's mål lack tegn or
    # prøvehandlinger (domain.coverage_reminders).
    COVERAGE_REMINDER = "coverage_reminder"
    # The indsamler's daily card: how many eksempler reached her since the last one (issue 19; domain.eksempel_digest).
    EKSEMPEL_DIGEST = "eksempel_digest"
    # A leder is reminded, before a Plan A deadline, that their arbejdsplads has not decided its Plan A's form
    # (or does not work actively with it yet) (domain.plan_a_reminders).
    PLAN_A_REMINDER = "plan_a_reminder"


# --- Meeting rounds (personalemøde) ---


class RoundStatus(StrEnum):
    """Where a personalemøde round is: set up by its starter, open for proposals, closed, forwarded."""

    SETUP = "setup"
    OPEN = "open"
    CLOSED = "closed"
    FORWARDED = "forwarded"
    # A set-up another leder replaced before it was started.
    CANCELLED = "cancelled"


class RoundTopic(StrEnum):
    """What a round on the Plan A asks about (issue 21); a round on an entry kind has none (`Round.kind`)."""

    # »Hvilken forskel vil vi skabe for …?«: the proposals go to the leder, to work into the Plan A.
    PLAN_A = "plan_a"
    # »Hvordan går det med …?«: each person gives a colour and a sentence; the leder records the unit's status.
    STATUS = "status"


class Colour(StrEnum):
    """A status colour: how it is going with an indikator."""

    GROEN = "groen"
    GUL = "gul"
    ROED = "roed"


# A round that holds its chat: one per chat at a time.
LIVE_ROUND = frozenset({RoundStatus.SETUP, RoundStatus.OPEN})
