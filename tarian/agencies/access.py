"""The one place that answers "may this user do this to this kind of record?" (IS1).

Default deny: a user with no agency, an inactive agency, or no matching ``SharingRule`` gets
``Scope.NONE``. Selectors narrow querysets by the scope returned here; nothing else decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django.db import connection

from tarian.agencies.models import Role, Scope, SharingRule, SharingRulesStamp, User

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


def roles_source(user_ids: str) -> str:
    """A statement giving the codes of a user's roles, one row each, beside the sharing rules'
    stamp (``SharingRulesStamp``; NULL where the engine has no triggers).

    ``user_ids`` is SQL naming the user (``%s``, or a sub-query): the API's token lookup reads
    the roles in the same statement as the token, so that a request needs one round trip to
    the database for both; the rules themselves come from ``partnership_rules``."""
    quote = connection.ops.quote_name
    roles, links = quote(Role._meta.db_table), quote(User.roles.through._meta.db_table)
    return (
        f"SELECT r.code AS role, ({stamp_source()}) AS stamp "  # noqa: S608  # nosec B608
        f"FROM {roles} r JOIN {links} ur ON ur.role_id = r.id WHERE ur.user_id IN ({user_ids})"
    )


def stamp_source() -> str:
    """SQL for the sharing rules' current stamp (one row by its key)."""
    stamps = connection.ops.quote_name(SharingRulesStamp._meta.db_table)
    return f"SELECT stamp FROM {stamps} WHERE id = 1"  # noqa: S608  # nosec B608


RuleKey = tuple[str, str, str, str]  # (agency type or "", role, record kind, action)


class _Kept:
    """The partnership's rules as this process last read them, and the stamp they were read
    under; and, per set of roles and agency type, the rules that apply (each a dict that
    nothing changes once made, shared by every user it fits)."""

    stamp: int | None = None
    by_role: dict[str, dict[RuleKey, Scope]] = {}
    applying: dict[tuple[frozenset[str], str], dict[RuleKey, Scope]] = {}


def partnership_rules(stamp: int | None) -> dict[str, dict[RuleKey, Scope]]:
    """Every sharing rule by role: kept in memory while the stamp is the one they were read
    under, read again (one statement) when it has changed, and read every time when there is
    no stamp."""
    if stamp is not None and _Kept.stamp == stamp:
        return _Kept.by_role
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT agency_type, role, record_kind, action, scope "  # noqa: S608  # nosec B608
            f"FROM {connection.ops.quote_name(SharingRule._meta.db_table)}"
        )
        rows = cursor.fetchall()
    by_role: dict[str, dict[RuleKey, Scope]] = {}
    for agency_type, role, kind, action, scope in rows:
        by_role.setdefault(role, {})[(agency_type, role, kind, action)] = Scope(scope)
    if stamp is not None:
        # Replaced whole, never changed in place: another thread reading the old ones is safe.
        _Kept.by_role, _Kept.applying, _Kept.stamp = by_role, {}, stamp
    return by_role


def prime_rules(user: User, roles: Sequence[str], stamp: int | None) -> dict[RuleKey, Scope]:
    """Keep on the user object, for one request, their roles and the rules that apply to
    them (their agency's type, or every type)."""
    agency_type = user.agency.type if user.agency else ""
    held = frozenset(str(role) for role in roles)
    user._role_codes = held
    by_role = partnership_rules(stamp)
    applying = _Kept.applying.get((held, agency_type)) if stamp is not None else None
    if applying is None or _Kept.stamp != stamp:
        applying = {
            key: scope
            for role in sorted(held)
            for key, scope in by_role.get(role, {}).items()
            if key[0] in ("", agency_type)
        }
        if stamp is not None and _Kept.stamp == stamp:
            _Kept.applying[(held, agency_type)] = applying
    user._sharing_rules = applying  # type: ignore[attr-defined]
    return applying


def prime_rules_for(user: User) -> dict[RuleKey, Scope]:
    """Read the user's roles and the rules' stamp in one plain statement (this runs at the
    start of every request), and keep the roles and the rules that apply on the user object
    for the request."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT NULL, ({stamp_source()}) UNION ALL {roles_source('%s')}",  # nosec B608
            [user.pk],
        )
        rows = cursor.fetchall()
    # Every row carries the stamp; the first part's row has no role (there for a user with none).
    return prime_rules(user, [row[0] for row in rows if row[0] is not None], rows[0][1])


def _rules_for(user: User) -> dict[tuple[str, str, str, str], Scope]:
    """The rules that apply to the user's roles, cached on the user object for one request."""
    cached: dict[tuple[str, str, str, str], Scope] | None = getattr(user, "_sharing_rules", None)
    if cached is None:
        cached = prime_rules_for(user)
    return cached


def can(user: User | None, record_kind: str, action: str) -> bool:
    """True if the user may do this action to at least some records of this kind."""
    return scope_for(user, record_kind, action) != Scope.NONE
