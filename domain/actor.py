"""Who is acting: the one type the rules, services and dialogs use for the person behind a turn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.vocabulary import Role
from storage.models import Person

# (role, unit id) pairs; the unit is None for organisation-wide roles (indsamler, administrator).
Roles = frozenset[tuple[Role, int | None]]


@dataclass(frozen=True)
class Actor:
    """A person as the domain sees them for one user action (`Person` is the stored row)."""

    person_id: int
    display_name: str = ""
    unit_id: int | None = None
    roles: Roles = frozenset()

    @classmethod
    def of(cls, person: Person) -> Actor:
        return cls(
            person_id=person.id,
            display_name=person.display_name,
            unit_id=person.unit_id,
            roles=frozenset((Role(r.role), r.unit_id) for r in person.roles),
        )

    def roles_held(self) -> set[Role]:
        return {role for role, _ in self.roles}

    def has_role(self, role: Role) -> bool:
        return any(r is role for r, _ in self.roles)

    def units_with_role(self, role: Role) -> set[int]:
        return {unit_id for r, unit_id in self.roles if r is role and unit_id is not None}

    def holds(self, role: Role, unit_path: Sequence[int]) -> bool:
        """Whether this person holds `role` for an entry of the unit whose path (unit, parents…) is given."""
        if role is Role.INDSAMLER:
            return (role, None) in self.roles
        if role is Role.LEDER:
            # The leder of the entry's own unit.
            return bool(unit_path) and (role, unit_path[0]) in self.roles
        # A chef decides for every unit in their afdeling, i.e. any unit below it.
        return any((role, unit_id) in self.roles for unit_id in unit_path)
