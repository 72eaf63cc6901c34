"""The one place that answers "may this user do this to this kind of record?" (IS1).

Default deny: a user with no agency, an inactive agency, or no matching ``SharingRule`` gets
``Scope.NONE``. Selectors narrow querysets by the scope returned here; nothing else decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

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


def rules_source(user_ids: str) -> str:
    """A statement giving a user's roles and the sharing rules of those roles as rows of five
    values: ``(NULL, role, NULL, NULL, NULL)`` for each role held, then one row per rule
    (every agency type's; ``prime_rules`` keeps the ones that apply).

    ``user_ids`` is SQL naming the user (``%s``, or a sub-query): the API's token lookup
    reads a user's rules in the same statement as the token, so that a request needs one
    round trip to the database for both."""
    quote = connection.ops.quote_name
    rules, roles = quote(SharingRule._meta.db_table), quote(Role._meta.db_table)
    links = quote(User.roles.through._meta.db_table)
    held = (
        f"SELECT r.code FROM {roles} r JOIN {links} ur ON ur.role_id = r.id "  # noqa: S608  # nosec B608
        f"WHERE ur.user_id IN ({user_ids})"
    )
    return (
        f"SELECT NULL AS agency_type, code AS role, NULL AS record_kind, NULL AS action, "  # noqa: S608  # nosec B608
        f"NULL AS scope FROM ({held}) h UNION ALL "
        f"SELECT agency_type, role, record_kind, action, scope FROM {rules} "
        f"WHERE role IN ({held})"
    )


def prime_rules(
    user: User, rows: Sequence[Sequence[Any]]
) -> dict[tuple[str, str, str, str], Scope]:
    """Keep on the user object, for one request, their roles and the rules that apply to
    them (their agency's type, or every type), from ``rules_source``'s rows."""
    agency_type = user.agency.type if user.agency else ""
    user._role_codes = frozenset(str(row[1]) for row in rows if row[2] is None)
    cached = {
        (str(a), str(r), str(k), str(act)): Scope(s)
        for a, r, k, act, s in rows
        if k is not None and a in ("", agency_type)
    }
    user._sharing_rules = cached  # type: ignore[attr-defined]
    return cached


def prime_rules_for(user: User) -> dict[tuple[str, str, str, str], Scope]:
    """Read the user's roles and the rules that apply to them in one plain statement (this
    runs at the start of every request, and the ORM's work to build two queries cost more
    than answering them), and keep both on the user object for the request."""
    with connection.cursor() as cursor:
        cursor.execute(rules_source("%s"), [user.pk, user.pk])
        rows = cursor.fetchall()
    return prime_rules(user, rows)


def _rules_for(user: User) -> dict[tuple[str, str, str, str], Scope]:
    """The rules that apply to the user's roles, cached on the user object for one request."""
    cached: dict[tuple[str, str, str, str], Scope] | None = getattr(user, "_sharing_rules", None)
    if cached is None:
        cached = prime_rules_for(user)
    return cached


def can(user: User | None, record_kind: str, action: str) -> bool:
    """True if the user may do this action to at least some records of this kind."""
    return scope_for(user, record_kind, action) != Scope.NONE
