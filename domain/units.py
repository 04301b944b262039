"""The organisation's tree as the rules read it: the afdeling a unit belongs to, and units grouped by afdeling."""

from __future__ import annotations

from core.vocabulary import UnitKind
from storage import repo


def afdeling_of(units: repo.Units, unit_id: int) -> int | None:
    """The afdeling a unit belongs to (its nearest afdeling above), or its parent when there is none."""
    path = repo.unit_path(units, unit_id)
    for ancestor in path[1:]:
        if units[ancestor].kind is UnitKind.AFDELING:
            return ancestor
    return path[1] if len(path) > 1 else None


def arbejdspladser_by_afdeling(
    units: repo.Units, kinds: frozenset[UnitKind] = frozenset({UnitKind.ARBEJDSPLADS})
) -> dict[int, list[repo.UnitRow]]:
    """The units of `kinds` (the arbejdspladser; for eksempler, every unit that sends them) by their afdeling."""
    grouped: dict[int, list[repo.UnitRow]] = {}
    for unit in units.values():
        if unit.kind in kinds:
            afdeling = afdeling_of(units, unit.id)
            if afdeling is not None:
                grouped.setdefault(afdeling, []).append(unit)
    return grouped
