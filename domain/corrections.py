"""»Ret og godkend«: the chef corrects an entry's wording and approves it in one decision (issue 20, part 4).

The entry then holds the corrected fields; the approving decision keeps the original ones (`original_data`) with
who changed them and when, so the history shows what the medarbejder wrote and what the chef made of it. Everything
else is an ordinary approval (domain.workflow.decide_on): the same policy, the same idempotency, the same race.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import Action, EntryKind
from domain.actor import Actor
from domain.entries import EntryData, LaeringData, ProevehandlingData, TegnData, stored
from domain.policy import NotAllowed, Refusal
from domain.workflow import Decided, NotFound, decide_on
from storage import corrections, repo

log = logging.getLogger(__name__)

# The data model each correctable kind's fields must validate as.
CORRECTABLE: dict[EntryKind, type[EntryData]] = {
    EntryKind.TEGN: TegnData,
    EntryKind.LAERING: LaeringData,
    EntryKind.PROEVEHANDLING: ProevehandlingData,
}
# What a correction may not change: what the entry is about (its prøvehandling, the tegn it names), only how it is
# worded.
FIXED_FIELDS = ("proevehandling_id", "ny_proevehandling", "tegn_id", "tegn_tekst")


async def correct_and_approve(
    session: AsyncSession,
    *,
    actor: Actor,
    entry_id: int,
    seen_version: int,
    corrected: EntryData,
    comment: str = "",
) -> Decided:
    """Approve the entry as `actor` saw it (at `seen_version`) with its wording corrected to `corrected`.

    Raises NotFound, or NotAllowed: for anyone whose turn it is not to approve (a leder recommends; only the last
    stage approves), and for a correction of another kind or one that changes what the entry is about. A repeat
    or a lost race writes nothing, as for any decision.
    """
    entry = await repo.get_entry(session, entry_id)
    if entry is None:
        raise NotFound(entry_id)
    model = CORRECTABLE.get(entry.kind)
    if model is None or not isinstance(corrected, model):
        raise NotAllowed(Refusal.WRONG_ACTION)
    original = dict(entry.data)
    new_data = stored(corrected)
    if any(new_data.get(name) != original.get(name) for name in FIXED_FIELDS if name in new_data):
        raise NotAllowed(Refusal.WRONG_ACTION)
    changed = new_data != stored(model.model_validate(original))
    decided = await decide_on(
        session,
        actor=actor,
        entry_id=entry_id,
        action=Action.APPROVE,
        seen_version=seen_version,
        comment=comment,
        new_data=corrected if changed else None,
        loaded=entry,
    )
    if decided.new and changed:
        await corrections.keep_original(session, entry_id=entry_id, from_version=seen_version, original=original)
        reloaded = await repo.get_entry(session, entry_id)
        assert reloaded is not None
        decided = Decided(reloaded, decided.result)
        log.info("entry %s corrected and approved by person %s", entry_id, actor.person_id)
    return decided
