"""What a card sends back: one pydantic model per action, and the one place where submitted input is validated.

Teams sends an Action.Submit as a message whose `value` is the action's `data` merged with every input by id;
untouched inputs arrive as "" and toggles as "true"/"false". Each action's data names the action, so each payload
parses into exactly one model. No other code reads raw `activity.value`.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from cards import texts
from cards.base import ACTION_KEY
from core.vocabulary import (
    APPROVER_ACTIONS,
    Action,
    Afsender,
    Colour,
    EntryKind,
    EntryStatus,
    Niveau,
    RoundTopic,
    Tema,
)
from domain.entries import (
    Beslutning,
    EksempelData,
    IndikatorNumber,
    LaeringData,
    MediumOptional,
    MediumRequired,
    Required,
    ShortOptional,
    TegnData,
    Tvaerfaglighed,
)
from domain.entries import Optional as TextOptional
from domain.plan_a import STATUS_TEXT_MAX
from domain.rounds import PROPOSAL_MAX, PlanATarget, RoundTarget

# The value of an explicit "none of these" choice (a choice set cannot show "" as selected).
NO_CHOICE = "none"


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and (not value.strip() or value == NO_CHOICE) else value


# Ids, versions and offsets go into SQL: bounded to a 64-bit integer (beyond it SQLite raises OverflowError).
MAX_DB_INT = 2**63 - 1
DbInt = Annotated[int, Field(ge=0, le=MAX_DB_INT)]
OptionalId = Annotated[DbInt | None, BeforeValidator(_blank_is_none)]
# A Plan A indikator's number, or none (the choice »Ingen indikator« or untouched).
OptionalIndikator = Annotated[IndikatorNumber | None, BeforeValidator(_blank_is_none)]
# An offset into a list of one person's entries: far beyond any real list, far below the 64-bit limit.
MAX_OFFSET = 1_000_000


class Payload(BaseModel):
    """One user action's data. Its `action` literal is the action's tag: the key of an Action.Submit's data, and
    the verb of its Action.Execute where a per-user view needs one (turn.table registers each tag once)."""

    # Teams merges every input on the card into the payload: ignore what this action does not use.
    model_config = ConfigDict(extra="ignore", frozen=True)

    @classmethod
    def tag(cls) -> str:
        """The action's name, read from the model's `action` literal (written once, there)."""
        (value,) = get_args(cls.model_fields[ACTION_KEY].annotation)
        return str(value)


class FlowPayload(Payload):
    """An action on a card that belongs to a guided flow; `flow` names the dialog that showed it."""

    flow: str = ""


class Command(StrEnum):
    """The words people type (and that a card's button may send); turn.commands says where each one works."""

    HELP = "hjælp"
    TEGN = "tegn"
    LAERING = "læring"
    EKSEMPEL = "eksempel"
    PROEVEHANDLING = "prøvehandling"
    MINE = "mine"
    GODKEND = "godkend"
    MOEDE = "møde"
    OVERSIGT = "oversigt"
    EKSPORT = "eksport"
    BEGREBER = "begreber"
    ANNULLER = "annullér"
    GRUNDLAG = "grundlag"
    EKSEMPLER = "eksempler"


class RunCommand(Payload):
    action: Literal["command"]
    command: str = Field(max_length=50)  # kept as typed: an old card may send a word that is no longer a command


class Cancel(FlowPayload):
    action: Literal["cancel"]


class Back(FlowPayload):
    action: Literal["back"]


class Edit(FlowPayload):
    action: Literal["edit"]


class Send(FlowPayload):
    action: Literal["send"]
    # Not "key": the Agents Playground (0.2.28) breaks on a top-level `key` in action data.
    submission_key: str = Field(min_length=8, max_length=100)


class PickUnit(FlowPayload):
    action: Literal["pick_unit"]
    unit_id: DbInt


class PickMaal(FlowPayload):
    action: Literal["pick_maal"]
    maal_id: DbInt


class ToggleAfdeling(FlowPayload):
    action: Literal["toggle_afdeling"]
    whole_afdeling: bool


class PickProevehandling(FlowPayload):
    action: Literal["pick_ph"]
    proevehandling_id: DbInt


class NewProevehandling(FlowPayload):
    action: Literal["new_ph"]
    ny_proevehandling: Annotated[str, Field(min_length=1, max_length=200)]


class TegnForm(TegnData, FlowPayload):  # type: ignore[misc]
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)
    action: Literal["tegn_form"]
    proevehandling_id: OptionalId = None
    indikator: OptionalIndikator = None

    def data(self) -> TegnData:
        return TegnData.model_validate(self.model_dump(include=set(TegnData.model_fields)))


class LaeringForm(LaeringData, FlowPayload):  # type: ignore[misc]
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)
    action: Literal["laering_form"]
    proevehandling_id: OptionalId = None
    indikator: OptionalIndikator = None
    beslutning: Annotated[Beslutning | None, BeforeValidator(_blank_is_none)] = None

    def data(self) -> LaeringData:
        return LaeringData.model_validate(self.model_dump(include=set(LaeringData.model_fields)))


GROUP_PREFIX = "gruppe_"


class EksempelForm(FlowPayload):
    """The eksempel itself; the tema and level were picked on the steps before (they are on the draft)."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)
    action: Literal["eksempel_form"]
    eksempel: Required
    situation: TextOptional = ""
    fra: Afsender = Afsender.PERSON
    team: ShortOptional = ""
    # In the name of a ledergruppe or team the writer leads (the `fra` choice "gruppe_<id>").
    group_id: OptionalId = None

    @model_validator(mode="before")
    @classmethod
    def _group(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("fra"), str) and _is_id_key(value["fra"], GROUP_PREFIX):
            return {**value, "fra": Afsender.ENHED.value, "group_id": int(value["fra"][len(GROUP_PREFIX) :])}
        return value

    def data(self, *, tema: Tema, niveau: Niveau) -> EksempelData:
        fields = self.model_dump(include={"eksempel", "situation", "fra", "team"})
        return EksempelData.model_validate({**fields, "tema": tema, "niveau": niveau})


# --- Prøvehandling (issue 20): one payload per step after the mål ---

_DANISH_DATE = re.compile(r"\s*(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\s*")


def _date_or_none(value: Any) -> Any:
    """A card's Input.Date sends YYYY-MM-DD, "" when untouched; a date typed the Danish way (1.11.2026) is read too.
    None when blank: the form's rule then asks for the date."""
    if isinstance(value, str):
        if not value.strip():
            return None
        danish = _DANISH_DATE.fullmatch(value)
        if danish:
            day, month, year = (int(part) for part in danish.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return value
    return value


class ProeveHvad(FlowPayload):
    """What we will try, and for whom."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)
    action: Literal["ph_hvad"]
    handling: MediumRequired
    maalgruppe: ShortOptional = ""
    # The Plan A indikator the prøvehandling is linked to (optional; the mål's, by default).
    indikator: OptionalIndikator = None


class ProeveVide(FlowPayload):
    """How we will know: one of the mål's approved tegn, or in words (either may be left out; the check coaches)."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)
    action: Literal["ph_vide"]
    tegn_id: OptionalId = None
    hvordan_ser_vi: MediumOptional = ""


class ProeveInddragelse(FlowPayload):
    action: Literal["ph_inddragelse"]
    borgerinddragelse: bool = False
    tvaerfaglighed: Tvaerfaglighed = Tvaerfaglighed.INGEN


class ProeveEvaluering(FlowPayload):
    """When we evaluate: a day (whether it has passed is the flow's to say, against the clock)."""

    action: Literal["ph_evaluering"]
    evalueres: Annotated[dt.date | None, BeforeValidator(_date_or_none)] = None

    @model_validator(mode="after")
    def _required(self) -> ProeveEvaluering:
        if self.evalueres is None:
            raise ValueError("evalueres")
        return self


# --- Eksempel (issue 10) ---


class PickTema(FlowPayload):
    action: Literal["pick_tema"]
    tema: Tema


class PickNiveau(FlowPayload):
    action: Literal["pick_niveau"]
    niveau: Niveau


def _blank_is_none_or_all(value: Any) -> Any:
    return None if isinstance(value, str) and value in ("", NO_CHOICE) else value


OptionalTema = Annotated[Tema | None, BeforeValidator(_blank_is_none_or_all)]
OptionalNiveau = Annotated[Niveau | None, BeforeValidator(_blank_is_none_or_all)]
OptionalStatus = Annotated[EntryStatus | None, BeforeValidator(_blank_is_none_or_all)]
# The choice values of the outcome input: "<status>|<forum>", or one of these for a film candidate.
FILM_ON = "film"
FILM_OFF = "ingen_film"
PICK_PREFIX = "pick_"


class SelectionShow(Payload):
    """The indsamler's list: which eksempler (the filter inputs on the card, or the button's data) and which page."""

    action: Literal["selection_show"]
    filter_tema: OptionalTema = None
    filter_niveau: OptionalNiveau = None
    filter_status: OptionalStatus = None
    grouped: bool = False
    offset: int = Field(default=0, ge=0)


class SelectionApply(SelectionShow):  # type: ignore[misc]
    """One outcome (or film candidacy) for the eksempler ticked on the list, with the forum's date."""

    action: Literal["selection_apply"]  # type: ignore[assignment]
    outcome: Annotated[str, Field(min_length=1, max_length=150)]
    decided_on: dt.date
    comment: Annotated[str, Field(max_length=1000)] = ""
    # From the ticked toggles (ids "pick_<entry id>"), collected before validation; or typed.
    entry_ids: tuple[DbInt, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _ticked(cls, value: Any) -> Any:
        if isinstance(value, dict):
            ticked = [
                int(key[len(PICK_PREFIX) :])
                for key, on in value.items()
                if isinstance(key, str) and _is_id_key(key, PICK_PREFIX) and on in ("true", True)
            ]
            if ticked or "entry_ids" not in value:  # typed (`udfald 12,14 …`): the numbers as written
                value = {**value, "entry_ids": tuple(sorted(ticked))}
        return value

    @property
    def film(self) -> bool | None:
        """True/False for a film candidacy; None for a forum's outcome."""
        return {FILM_ON: True, FILM_OFF: False}.get(self.outcome)

    def forum_outcome(self) -> tuple[EntryStatus, str] | None:
        """(status, forum) for a forum's outcome; None when the value is not one."""
        status, _, forum = self.outcome.partition("|")
        try:
            return EntryStatus(status), forum
        except ValueError:
            return None


class GrundlagShow(Payload):
    action: Literal["grundlag"]
    tema: Tema
    # One level a page at a time; None for a few of each.
    niveau: OptionalNiveau = None
    offset: int = Field(default=0, ge=0)


class EditEntry(Payload):
    """The owner's "Ret og send igen" on a sent-back entry."""

    action: Literal["edit_entry"]
    entry_id: DbInt


class ExportPick(Payload):
    action: Literal["export"]
    maalplan_id: DbInt


class MineMore(Payload):
    action: Literal["mine_more"]
    offset: int = Field(ge=0, le=MAX_OFFSET)


# --- Oversigt ------------------------------------------------------------------------------------------------------


class OverviewHome(Payload):
    action: Literal["oversigt"]
    # A chef's units come a page at a time: the first unit of the page.
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0


class OverviewUnit(Payload):
    """A unit's mål and their coverage (a chef's drill-down)."""

    action: Literal["oversigt_enhed"]
    unit_id: DbInt
    # The chef's page to go back to.
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0


class OverviewAcross(Payload):
    """Chefforum: every mål across the organisation per målsætning; with a mål, that mål's målsætning."""

    action: Literal["oversigt_tvaers"]
    maal_id: OptionalId = None
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0


class OverviewPlanA(Payload):
    """Plan A across arbejdspladser (issue 21): a chef's afdelinger, or every arbejdsplads for Chefforum."""

    action: Literal["oversigt_plan_a"]
    # True: Chefforum's view of every arbejdsplads; False: the chef's own afdelinger; None: the person's own view.
    everyone: bool | None = None
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0


class OverviewChefforumExport(Payload):
    """Chefforum's workbook across målplaner: a signed link."""

    action: Literal["oversigt_tvaers_eksport"]


class OverviewAfdeling(Payload):
    action: Literal["oversigt_afdeling"]
    afdeling_id: DbInt


class SendReminder(Payload):
    """The indsamler's "Send påmindelse": every missing unit, or one; shown again from the afdeling she was in."""

    action: Literal["oversigt_remind"]
    unit_id: OptionalId = None
    afdeling_id: OptionalId = None


# Model-level rules report a code as their message; this maps it to the field and the Danish text.
_RULE_ERRORS = {
    "beslutning": ("beslutning", texts.ERROR_BESLUTNING_REQUIRED),
    "proevehandling": ("proevehandling_id", texts.ERROR_PROEVEHANDLING_MISSING),
    "evalueres": ("evalueres", texts.ERROR_EVALUERES_REQUIRED),
}


class InvalidInput(Exception):
    """A submit that does not validate: Danish messages by input id, and every value as typed."""

    def __init__(self, action: str | None, flow: str | None, errors: dict[str, str], values: dict[str, Any]):
        super().__init__(f"invalid input for action {action}: fields {sorted(errors)}")
        self.action = action
        self.flow = flow
        self.errors = errors
        self.values = values


def _message(error: Any) -> tuple[str | None, str]:
    kind = error["type"]
    field = next((str(p) for p in reversed(error["loc"]) if isinstance(p, str) and p not in _TAGS), None)
    if kind == "value_error":
        code = str(error.get("ctx", {}).get("error", ""))
        if code in _RULE_ERRORS:
            return _RULE_ERRORS[code]
    if kind in ("missing", "string_too_short"):
        return field, texts.ERROR_REQUIRED
    if kind == "string_too_long":
        return field, texts.ERROR_TOO_LONG.format(limit=error["ctx"]["max_length"])
    if kind.startswith("date_"):
        return field, texts.ERROR_DATE_INVALID
    return field, texts.ERROR_CHOOSE_ONE


def _is_lone_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF


def _unstorable(char: str) -> bool:
    """A character no database takes: a lone UTF-16 surrogate (UTF-8 has none), or U+0000 (PostgreSQL's text has
    none; SQLite would store it, so both backends refuse it alike)."""
    return char == "\x00" or _is_lone_surrogate(char)


def is_storable(text: str) -> bool:
    return not any(map(_unstorable, text))


def storable(text: str) -> str:
    """The text with every unstorable character replaced by U+FFFD (for showing it back, and for logs)."""
    return "".join("\ufffd" if _unstorable(c) else c for c in text)


def _refuse_unstorable(action: object, flow: object, value: dict[str, Any]) -> None:
    """InvalidInput for values with a lone surrogate (JSON's "\\ud800"), keeping every value as typed otherwise."""
    bad = [k for k, v in value.items() if isinstance(v, str) and not is_storable(v)]
    if not bad and not any(isinstance(k, str) and not is_storable(k) for k in value):
        return
    values = {
        storable(k): storable(v) if isinstance(v, str) else v
        for k, v in value.items()
        if isinstance(k, str) and isinstance(v, str | int | bool)
    }
    raise InvalidInput(
        storable(action) if isinstance(action, str) else None,
        storable(flow) if isinstance(flow, str) else None,
        {storable(k): texts.ERROR_INVALID_CHARACTER for k in bad} or {"": texts.ERROR_INVALID_CHARACTER},
        values,
    )


def parse(value: Any) -> AnyPayload:
    """The model for a card's submitted value, or InvalidInput with field messages (never a pydantic error)."""
    if not isinstance(value, dict):
        raise InvalidInput(None, None, {"": texts.ERROR_CHOOSE_ONE}, {})
    _refuse_unstorable(value.get("action"), value.get("flow"), value)
    try:
        return _ADAPTER.validate_python(value)
    except ValidationError as error:
        raise _invalid(error, value.get("action"), value.get("flow"), value) from None


def parse_invoke(verb: object, data: object) -> AnyPayload:
    """An Action.Execute: its verb is the action's tag, its data the action's data with the inputs merged in."""
    if not isinstance(verb, str) or not isinstance(data, dict):
        raise InvalidInput(None, None, {"": texts.ERROR_CHOOSE_ONE}, {})
    return parse({**data, ACTION_KEY: verb})


def _invalid(error: ValidationError, action: object, flow: object, value: dict[str, Any]) -> InvalidInput:
    errors: dict[str, str] = {}
    for item in error.errors():
        field, message = _message(item)
        errors.setdefault(field or "", message)
    return InvalidInput(
        action if isinstance(action, str) else None,
        flow if isinstance(flow, str) else None,
        errors,
        {k: v for k, v in value.items() if isinstance(v, str | int | bool)},
    )


def _approver_action(action: Action) -> Action:
    if action not in APPROVER_ACTIONS:
        raise ValueError("not an approver's action")
    return action


# --- Entries: the approval card's actions (Action.Submit in the personal chat; the same tags arrive as
# Action.Execute verbs from cards sent before the phone fix, and the refresh is an automatic Action.Execute).


class Refresh(Payload):
    action: Literal["refresh"]
    entry_id: DbInt


class Decide(Payload):
    action: Literal["decide"]
    entry_id: DbInt
    # Only the approver's actions; which of them this person may take now is the entry policy's answer.
    decision: Annotated[Action, AfterValidator(_approver_action)]
    # The version the person saw on the card; None when typed (`anbefal 12`): the entry as it is now.
    version: Annotated[DbInt | None, BeforeValidator(_blank_is_none)] = None
    comment: Annotated[str, Field(max_length=1000)] = ""


class CorrectApprove(Payload):
    """The chef's »Ret og godkend«: the entry approved with its wording corrected (the original kept in its history)."""

    action: Literal["correct_approve"]
    entry_id: DbInt
    version: Annotated[DbInt | None, BeforeValidator(_blank_is_none)] = None
    wording: Annotated[str, Field(min_length=1, max_length=2000)]
    comment: Annotated[str, Field(max_length=1000)] = ""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


class Withdraw(Payload):
    action: Literal["withdraw"]
    entry_id: DbInt
    version: Annotated[DbInt | None, BeforeValidator(_blank_is_none)] = None


# --- Meeting rounds (personalemøde): Action.Execute verbs; the data carries the round's id, the rest are inputs.

ROUND_TARGET_ALL = "alle"


def _round_target(value: Any) -> Any:
    """The set-up's one choice: "tegn:<mål id>", "proevehandling:<mål id>", "laering:<mål id>:<prøvehandling id>"
    or "eksempel:<tema|alle>"."""
    if not isinstance(value, str) or ":" not in value:
        raise ValueError("target")
    kind, _, rest = value.partition(":")
    if kind in (EntryKind.TEGN.value, EntryKind.PROEVEHANDLING.value):
        return RoundTarget(EntryKind(kind), maal_id=int(rest))
    if kind == EntryKind.LAERING.value:
        maal, _, ph = rest.rpartition(":")  # typed: "laering:<prøvehandling>", the mål follows from it
        return RoundTarget(EntryKind.LAERING, maal_id=int(maal) if maal else None, proevehandling_id=int(ph))
    if kind == EntryKind.EKSEMPEL.value:
        return RoundTarget(EntryKind.EKSEMPEL, tema=None if rest == ROUND_TARGET_ALL else Tema(rest))
    if kind in (RoundTopic.PLAN_A.value, RoundTopic.STATUS.value):  # "plan_a:<indikator>", "status:<indikator>"
        number = int(rest)
        if not 1 <= number <= 999:
            raise ValueError("target")
        return PlanATarget(RoundTopic(kind), number)
    raise ValueError("target")


def round_target_value(target: RoundTarget | PlanATarget) -> str:
    """The choice value for a target (the inverse of the parse above)."""
    if isinstance(target, PlanATarget):
        return f"{target.topic.value}:{target.indikator}"
    if target.kind in (EntryKind.TEGN, EntryKind.PROEVEHANDLING):
        return f"{target.kind.value}:{target.maal_id}"
    if target.kind is EntryKind.LAERING:
        return f"{target.kind.value}:{target.maal_id}:{target.proevehandling_id}"
    return f"{target.kind.value}:{target.tema.value if target.tema else ROUND_TARGET_ALL}"


class RoundPayload(Payload):
    # None when typed: the round of the chat it was typed in (or the person's, in the personal chat).
    round_id: OptionalId = None


class RoundStart(RoundPayload):
    action: Literal["round_start"]
    target: Annotated[RoundTarget | PlanATarget, BeforeValidator(_round_target)]
    niveau: Niveau = Niveau.MEDARBEJDER
    show_names: bool = True
    hide_until_close: bool = False

    def with_niveau(self) -> RoundTarget | PlanATarget:
        if isinstance(self.target, RoundTarget) and self.target.kind is EntryKind.EKSEMPEL:
            return RoundTarget(self.target.kind, tema=self.target.tema, niveau=self.niveau)
        return self.target


class RoundAdd(RoundPayload):
    action: Literal["round_add"]
    proposal: Annotated[str, Field(min_length=1, max_length=PROPOSAL_MAX)]
    tema: Annotated[Tema | None, BeforeValidator(_blank_is_none)] = None
    # A status round's answer: grøn, gul or rød (typed: the first word of the proposal).
    colour: Annotated[Colour | None, BeforeValidator(_blank_is_none)] = None

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


class RoundRemove(RoundPayload):
    action: Literal["round_remove"]
    proposal_id: OptionalId = None
    # Typed (`fjern 2`): the number of the person's own proposal, as their view numbers them.
    number: Annotated[int | None, Field(ge=1, le=1000)] = None


class RoundShow(RoundPayload):
    """A refresh, "Vis mit kort", or (`select`) "Vælg forslag" on the closed round's shared card."""

    action: Literal["round_view"]
    select: bool = False


class RoundClose(RoundPayload):
    action: Literal["round_close"]


class RoundForward(RoundPayload):
    """The starter's selection: toggles `sel_<id>`, wordings `text_<id>` and temaer `tema_<id>`, merged in by
    Teams and collected here; typed (`møde send 1,3,4`): the proposals' numbers as the selection shows them."""

    action: Literal["round_forward"]
    numbers: tuple[Annotated[int, Field(ge=1, le=1000)], ...] = ()
    picked: tuple[DbInt, ...] = ()
    wordings: dict[DbInt, str] = Field(default_factory=dict)
    chosen_temaer: dict[DbInt, Tema] = Field(default_factory=dict)
    # Every input as typed, to show the card again with nothing lost.
    inputs: dict[str, str | int | bool] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _collect(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        keys = [k for k in value if isinstance(k, str)]
        return {
            **{k: v for k, v in value.items() if k in cls.model_fields},
            "picked": [int(k[4:]) for k in keys if _is_id_key(k, "sel_") and str(value[k]).lower() == "true"],
            "wordings": {int(k[5:]): str(value[k]) for k in keys if _is_id_key(k, "text_")},
            "chosen_temaer": {int(k[5:]): value[k] for k in keys if _is_id_key(k, "tema_") and value[k] in set(Tema)},
            "inputs": {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str | int | bool)},
        }

    def chosen(self) -> dict[int, str]:
        """The ticked proposals, each with the wording to send."""
        return {proposal_id: self.wordings.get(proposal_id, "").strip() for proposal_id in self.picked}

    def temaer(self) -> dict[int, Tema]:
        """The tema the starter chose for a proposal, in a round on all four temaer."""
        return dict(self.chosen_temaer)

    def typed(self) -> dict[str, Any]:
        return dict(self.inputs)


# --- Plan A (issue 21): personal chat only (Action.Submit), each with typed forms (bot.plan_a) ----------------

PLAN_A_TEXT_MAX = 2000
PlanAText = Annotated[str, Field(max_length=PLAN_A_TEXT_MAX)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(_blank_is_none)]


class PlanAPayload(Payload):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)
    # None when typed: the Plan A of the unit the person leads (or works at).
    unit_id: OptionalId = None


class PlanAShow(PlanAPayload):
    action: Literal["plan_a"]


class PlanAEdit(PlanAPayload):
    """Open the form for one indikator's difference, how we will see it, the mål's tegn and documents."""

    action: Literal["plan_a_ret"]
    number: IndikatorNumber


class PlanATexts(PlanAPayload):
    """The inputs of an indikator's card: its texts (None: unchanged, as when one is typed) and a document."""

    number: IndikatorNumber
    forskel: PlanAText | None = None
    kendetegn: PlanAText | None = None
    maal_tegn: PlanAText | None = None
    doc_url: Annotated[str, Field(max_length=1000)] = ""
    doc_title: Annotated[str, Field(max_length=200)] = ""

    def typed(self) -> dict[str, str]:
        """What the card's inputs held, to show them again as typed."""
        fields = ("forskel", "kendetegn", "maal_tegn", "doc_url", "doc_title")
        return {k: v for k, v in self.model_dump(include=set(fields)).items() if v is not None}


class PlanASave(PlanATexts):
    """One indikator's texts and, optionally, a document to add."""

    action: Literal["plan_a_gem"]


class PlanARemoveDocument(PlanATexts):
    """A document removed; the texts on the card are kept there as typed (not saved)."""

    action: Literal["plan_a_fjern_dokument"]
    position: Annotated[int, Field(ge=1, le=100)]


class PlanAAdd(PlanAPayload):
    """A further indikator (the leder agrees it with the chef); from the card's choice, or typed."""

    action: Literal["plan_a_tilfoej"]
    indikator: IndikatorNumber


class PlanARemove(PlanAPayload):
    action: Literal["plan_a_fjern"]
    number: IndikatorNumber


class PlanAFormEdit(PlanAPayload):
    action: Literal["plan_a_form_ret"]


class PlanAFormSave(PlanAPayload):
    """The chosen form and its two dates; None: unchanged (a typed form sets one of them)."""

    action: Literal["plan_a_form_gem"]
    form: PlanAText | None = None
    form_decided_on: OptionalDate = None
    in_use_since: OptionalDate = None


class PlanAHistory(PlanAPayload):
    action: Literal["plan_a_historik"]
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0


class PlanAPoster(PlanAPayload):
    action: Literal["plan_a_plakat"]


class PrepKind(StrEnum):
    MUS = "mus"  # medarbejderudviklingssamtale: a leder and one of the unit's medarbejdere
    LUS = "lus"  # lederudviklingssamtale: a chef and one of their ledere


class PrepSend(Payload):
    """A MUS or LUS preparation card, sent to a person the sender leads (by name or e-mail)."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)
    action: Literal["samtale_send"]
    kind: PrepKind
    person: Annotated[str, Field(min_length=2, max_length=320)]


class PrepNotes(Payload):
    """The person's own notes on their preparation card (seen by them and the sender only)."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)
    action: Literal["samtale_noter"]
    prep_id: DbInt
    notes: Annotated[str, Field(max_length=4000)] = ""


class PrepShow(Payload):
    action: Literal["samtale_vis"]
    prep_id: DbInt


# --- Plan A at personalemøder (issue 21): a status round's outcome, and the status history -----------------


class RoundStatusRecord(RoundPayload):
    """After a status round (issue 21): the leder records the unit's status on the round's indikator, a colour and
    a short text for a date (today unless chosen). Typed: `møde gul Trivslen er bedre …`."""

    action: Literal["round_status"]
    colour: Colour
    status_text: Annotated[str, Field(min_length=1, max_length=STATUS_TEXT_MAX)]
    recorded_on: OptionalDate = None


class PlanAStatusShow(PlanAPayload):
    """One indikator's status history in a Plan A: `plan a status 6`."""

    action: Literal["plan_a_status"]
    number: IndikatorNumber


class PlanAStatusRecord(PlanAPayload):
    """The unit's status on one indikator, recorded by its leder outside a status round (after a MUS, at a
    ledermøde): from the indikator's status card, or typed `plan a gul 6 Vi hjælper hinanden mere`."""

    action: Literal["plan_a_status_gem"]
    number: IndikatorNumber
    colour: Colour
    status_text: Annotated[str, Field(min_length=1, max_length=STATUS_TEXT_MAX)]
    recorded_on: OptionalDate = None


def _is_id_key(key: str, prefix: str) -> bool:
    """`<prefix><id>` with a database id: ASCII digits only ("²" is a digit to str.isdigit), within 64 bits."""
    digits = key[len(prefix) :]
    return key.startswith(prefix) and digits.isascii() and digits.isdecimal() and int(digits) <= MAX_DB_INT


AnyPayload = Annotated[
    RunCommand
    | Cancel
    | Back
    | Edit
    | Send
    | PickUnit
    | PickMaal
    | ToggleAfdeling
    | PickProevehandling
    | NewProevehandling
    | TegnForm
    | LaeringForm
    | EksempelForm
    | ProeveHvad
    | ProeveVide
    | ProeveInddragelse
    | ProeveEvaluering
    | EditEntry
    | ExportPick
    | MineMore
    | OverviewHome
    | OverviewUnit
    | OverviewAcross
    | OverviewChefforumExport
    | OverviewPlanA
    | OverviewAfdeling
    | SendReminder
    | PickTema
    | PickNiveau
    | SelectionShow
    | SelectionApply
    | GrundlagShow
    | Refresh
    | Decide
    | CorrectApprove
    | Withdraw
    | RoundStart
    | RoundAdd
    | RoundRemove
    | RoundShow
    | RoundClose
    | RoundForward
    | PlanAShow
    | PlanAEdit
    | PlanASave
    | PlanARemoveDocument
    | PlanAAdd
    | PlanARemove
    | PlanAFormEdit
    | PlanAFormSave
    | PlanAHistory
    | PlanAPoster
    | PrepSend
    | PrepNotes
    | PrepShow
    | RoundStatusRecord
    | PlanAStatusShow
    | PlanAStatusRecord,
    Field(discriminator="action"),
]
_ADAPTER: TypeAdapter[AnyPayload] = TypeAdapter(AnyPayload)
# The action names, read from the models' `action` literals (pydantic puts them in error locations).
_TAGS = frozenset(
    tag for model in get_args(get_args(AnyPayload)[0]) for tag in get_args(model.model_fields[ACTION_KEY].annotation)
)
