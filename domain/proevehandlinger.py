"""Proposed prøvehandlinger (issue 20, part 1): an approved proposal becomes one of its mål's prøvehandlinger (so that
`læring` offers it from then on), and a new prøvehandling named in `læring` becomes a proposal of its own.

Both run in the unit of work of the user action that causes them: the approval (domain.workflow.decide_on) and the
læring's submission (dialogs.laering submits `from_laering` beside the læring, under FROM_LAERING_KEY).
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from core import clock
from core.vocabulary import EntryKind, EntryStatus
from domain.entries import LaeringData, ProevehandlingData
from storage import proevehandlinger
from storage.models import Entry, Proevehandling

log = logging.getLogger(__name__)

# A læring's new prøvehandling is proposed under the læring's own idempotency key with this suffix: a retried send
# proposes it once.
FROM_LAERING_KEY = "{key}:proevehandling"


def becomes_proevehandling(entry: Entry) -> bool:
    """Whether the entry is an approved prøvehandling proposal for a mål (and so one of the mål's prøvehandlinger)."""
    return entry.kind is EntryKind.PROEVEHANDLING and entry.status is EntryStatus.APPROVED and entry.maal_id is not None


async def adopt(session: AsyncSession, entry: Entry) -> Proevehandling | None:
    """Make the approved proposal one of its mål's prøvehandlinger, once; None for any other entry.

    The title is the proposal's »what we will try« as approved (after a chef's correction, the corrected wording);
    created_at is now, so the export places it in the årshjul's phase it was approved in.
    """
    if not becomes_proevehandling(entry) or entry.maal_id is None:
        return None
    data = ProevehandlingData.model_validate(entry.data)
    row, created = await proevehandlinger.adopt(
        session, entry_id=entry.id, maal_id=entry.maal_id, title=data.handling, created_at=clock.now()
    )
    if created:
        log.info("entry %s became prøvehandling %s of mål %s", entry.id, row.id, entry.maal_id)
    laering_key = laering_key_of(entry.idempotency_key)
    if laering_key is not None:
        # Proposed alongside a læring: that læring is about this prøvehandling from now on.
        await proevehandlinger.attach_laering(session, laering_key=laering_key, proevehandling_id=row.id)
    return row


def laering_key_of(proposal_key: str) -> str | None:
    """The key of the læring a proposal was submitted alongside; None for a proposal of its own."""
    suffix = FROM_LAERING_KEY.format(key="")
    return proposal_key[: -len(suffix)] if proposal_key.endswith(suffix) and len(proposal_key) > len(suffix) else None


def from_laering(laering: LaeringData) -> ProevehandlingData | None:
    """The proposal a læring about a new prøvehandling brings along; None when it is about one the mål has."""
    if laering.proevehandling_id is not None or not laering.ny_proevehandling:
        return None
    return ProevehandlingData(
        handling=laering.ny_proevehandling,
        tvaerfaglighed=laering.tvaerfaglighed,
        borgerinddragelse=laering.borgerinddragelse,
    )
