"""The one place that answers "may this user do this to this kind of record?" (IS1).

Default deny: a user with no agency, an inactive agency, or no matching ``SharingRule`` gets
``Scope.NONE``. Selectors narrow querysets by the scope returned here; nothing else decides.
"""

from __future__ import annotations

from typing import Protocol

from django.db import connection

from tarian.agencies.models import Role, Scope, SharingRule, User

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
    """The rules that apply to the user's roles, cached on the user object for one request.

    The user's roles and their rules come in one plain statement: this runs at the start of
    every request, and the ORM's work to build two queries cost more than answering them."""
    cached: dict[tuple[str, str, str, str], Scope] | None = getattr(user, "_sharing_rules", None)
    if cached is None:
        quote = connection.ops.quote_name
        rules, roles = quote(SharingRule._meta.db_table), quote(Role._meta.db_table)
        through = User.roles.through
        links = quote(through._meta.db_table)
        held = (
            f"SELECT r.code FROM {roles} r JOIN {links} ur ON ur.role_id = r.id "  # noqa: S608  # nosec B608
            "WHERE ur.user_id = %s"
        )
        sql = (
            f"SELECT NULL, code, NULL, NULL, NULL FROM ({held}) h UNION ALL "  # noqa: S608  # nosec B608
            f"SELECT agency_type, role, record_kind, action, scope FROM {rules} "
            f"WHERE agency_type IN ('', %s) AND role IN ({held})"
        )
        agency_type = user.agency.type if user.agency else ""
        with connection.cursor() as cursor:
            cursor.execute(sql, [user.pk, agency_type, user.pk])
            rows = cursor.fetchall()
        user._role_codes = frozenset(row[1] for row in rows if row[2] is None)
        cached = {(a, r, k, act): Scope(s) for a, r, k, act, s in rows if k is not None}
        user._sharing_rules = cached  # type: ignore[attr-defined]
    return cached


def can(user: User | None, record_kind: str, action: str) -> bool:
    """True if the user may do this action to at least some records of this kind."""
    return scope_for(user, record_kind, action) != Scope.NONE
