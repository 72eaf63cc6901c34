"""The one place that answers "may this user do this to this kind of record?" (IS1).

Default deny: a user with no agency, an inactive agency, or no matching ``SharingRule`` gets
``Scope.NONE``. Selectors narrow querysets by the scope returned here; nothing else decides.
"""

from __future__ import annotations

from typing import Protocol

from django.db.models import Q

from tarian.agencies.models import Scope, SharingRule, User

_RANK = {Scope.NONE: 0, Scope.INVOLVED: 1, Scope.ALL: 2}


class HasAgency(Protocol):
    agency_id: int | None


def scope_for(user: User | None, record_kind: str, action: str) -> Scope:
    """The widest scope any of the user's roles grants for this action on this record kind."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope.NONE
    agency = user.agency
    if agency is None or not agency.is_active:
        return Scope.NONE
    table = _rules_for(user)
    best = Scope.NONE
    for role in user.role_codes():
        for agency_type in (agency.type, ""):
            found = table.get((agency_type, role, record_kind, action))
            if found is not None and _RANK[found] > _RANK[best]:
                best = found
    return best


def _rules_for(user: User) -> dict[tuple[str, str, str, str], Scope]:
    """The rules that apply to the user's roles, cached on the user object for one request."""
    cached: dict[tuple[str, str, str, str], Scope] | None = getattr(user, "_sharing_rules", None)
    if cached is None:
        rows = SharingRule.objects.filter(
            Q(agency_type="") | Q(agency_type=user.agency.type if user.agency else ""),
            role__in=user.role_codes(),
        ).values_list("agency_type", "role", "record_kind", "action", "scope")
        cached = {(a, r, k, act): Scope(s) for a, r, k, act, s in rows}
        user._sharing_rules = cached  # type: ignore[attr-defined]
    return cached


def can(user: User | None, record_kind: str, action: str) -> bool:
    """True if the user may do this action to at least some records of this kind."""
    return scope_for(user, record_kind, action) != Scope.NONE
