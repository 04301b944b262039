"""The routes: which roles decide on an entry kind, stage by stage (the organisation file's, or the default)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryKind, Role
from storage import repo

Route = tuple[Role, ...]

DEFAULT_ROUTES: dict[EntryKind, Route] = {
    EntryKind.TEGN: (Role.LEDER, Role.CHEF),
    EntryKind.LAERING: (Role.LEDER, Role.CHEF),
    EntryKind.EKSEMPEL: (Role.LEDER, Role.INDSAMLER),
    EntryKind.PROEVEHANDLING: (Role.LEDER, Role.CHEF),
}


async def route_of(session: AsyncSession, kind: EntryKind) -> Route:
    """The entry kind's route from the organisation file, or the default."""
    stages = await repo.route_stages(session, kind)
    return tuple(Role(stage) for stage in stages) if stages else DEFAULT_ROUTES[kind]
