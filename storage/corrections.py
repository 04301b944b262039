"""The original wording of an entry the approver corrected (»Ret og godkend«), kept on the decision that approved it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Decision


async def keep_original(session: AsyncSession, *, entry_id: int, from_version: int, original: dict[str, Any]) -> None:
    """Record the entry's fields as they were before the decision made at `from_version` changed them."""
    await session.execute(
        update(Decision)
        .where(Decision.entry_id == entry_id, Decision.from_version == from_version)
        .values(original_data=original)
        .execution_options(synchronize_session=False)
    )
