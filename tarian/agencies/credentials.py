"""API tokens, the credentials of the API: issuing, checking and revoking them.

Only a token's hash is stored (``ApiToken``). The audited entry points that people and
commands use are in ``tarian.agencies.services``; these functions are the steps beneath them.

A token of a role that needs two-factor authentication (``tarian.agencies.two_factor``) lives
at most ``TARIAN_API_TOKEN_DAYS_TWO_FACTOR`` days from when it was made, also when the user
gained the role after the token was made; the account page issues one only in a session that
has passed the second factor (``tarian.agencies.services.issue_account_token``), or an
administrator issues one on the server with ``tarian create-user --token``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import cast

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from tarian.agencies.access import prime_rules, roles_source, stamp_source
from tarian.agencies.models import Agency, ApiToken, User
from tarian.agencies.two_factor import token_days_limit
from tarian.core.rawsql import (
    columns,
    convert_field,
    instance,
    prepared_cursor,
    statement,
    table,
)

# How often a token's last use is written down (not on every request: a write per read).
TOUCH_EVERY = dt.timedelta(minutes=5)
TOKEN_PREFIX = "trn_"  # noqa: S105  # nosec B105 - a public marker, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, *, name: str = "", days: int | None = None) -> str:
    """Create a token and return it in clear; only its hash is stored. Not audited: people
    and commands issue tokens through ``tarian.agencies.services``."""
    return new_token(user, name=name, days=days)[1]


def new_token(user: User, *, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """The stored token and the token in clear (shown once, never stored)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    wanted = days if days is not None else int(settings.TARIAN_API_TOKEN_DAYS)
    limit = token_days_limit(user)
    lifetime = dt.timedelta(days=wanted if limit is None else min(wanted, limit))
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        expires_at=timezone.now() + lifetime,
    )
    return token, raw


def user_for_token(raw: str) -> User | None:
    """The active user a live token belongs to (with their agency, roles and sharing rules
    read already), or None.

    One plain statement: every API request starts here, and building the ORM's queries cost
    more than answering them; the user's roles come in the same statement (one row each,
    beside the user's columns) with the sharing rules' stamp, and the rules from memory while
    the stamp is unchanged (``tarian.agencies.access.partnership_rules``), so a request's
    permission checks need no more."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    user_columns, agency_columns = _widths()
    with prepared_cursor() as cursor:
        adapt = connection.ops.adapt_datetimefield_value
        cursor.execute(
            statement("user_for_token", _token_sql),
            [adapt(now - TOUCH_EVERY), hash_token(raw), adapt(now)],
        )
        rows = cursor.fetchall()
    if not rows or rows[0][0] != 0:
        return None
    row = rows[0][1:]
    token_id, stale = row[0], bool(row[1])
    user = cast(User, instance(User, "u", row[3 : 3 + user_columns]))
    if not user.is_active:
        return None
    rules_at = 3 + user_columns + agency_columns
    if user.agency_id is not None:
        user.agency = cast(Agency, instance(Agency, "a", row[3 + user_columns : rules_at]))
    prime_rules(user, [r[1 + rules_at] for r in rows[1:]], row[rules_at + 1])
    limit = token_days_limit(user)
    if limit is not None:
        created = convert_field(ApiToken, "created_at", "t", row[2])
        if now - created >= dt.timedelta(days=limit):
            # A long-lived token made before the user's role needed two-factor authentication.
            return None
    if stale:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


def _widths() -> tuple[int, int]:
    return len(User._meta.concrete_fields), len(Agency._meta.concrete_fields)


def _token_sql() -> str:
    """``user_for_token``'s statement. The first row holds the token, the user, the agency and
    the sharing rules' stamp; each further row one of the user's roles (the user's columns are
    read once, not once per role)."""
    user_columns, agency_columns = columns(User, "u"), columns(Agency, "a")
    me = (
        "SELECT t.id, CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END "  # noqa: S608  # nosec B608
        f"AS stale, t.created_at, t.user_id FROM {table(ApiToken)} t "
        "WHERE t.token_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s"
    )
    blank_user = ", ".join(["NULL"] * (3 + len(user_columns) + len(agency_columns)))
    return (
        f"WITH me AS ({me}) "  # noqa: S608  # nosec B608
        f"SELECT 0 AS part, me.id, me.stale, me.created_at, "
        f"{', '.join(user_columns)}, {', '.join(agency_columns)}, NULL, ({stamp_source()}) "
        f"FROM me JOIN {table(User)} u ON u.id = me.user_id "
        f"LEFT JOIN {table(Agency)} a ON a.id = u.agency_id "
        f"UNION ALL SELECT 1, {blank_user}, x.role, x.stamp "
        f"FROM ({roles_source('SELECT user_id FROM me')}) x "
        "ORDER BY part"
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (their account page lists them)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def revoke_token(token: ApiToken) -> None:
    """Revoke the token now (not audited: see ``tarian.agencies.services``)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
