"""Issuing, checking and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.utils import timezone

from tarian.agencies.models import User
from tarian.api.models import ApiToken, hash_token

TOKEN_PREFIX = "trn_"  # noqa: S105  # nosec B105 - a public marker, not a secret


def issue_token(user: User, *, name: str = "", days: int | None = None) -> str:
    """Create a token and return it in clear; only its hash is stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    lifetime = dt.timedelta(days=days if days is not None else settings.TARIAN_API_TOKEN_DAYS)
    ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        expires_at=timezone.now() + lifetime,
    )
    return raw


def user_for_token(raw: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__agency")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
