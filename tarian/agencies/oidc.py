"""Signing in through an agency's own identity provider (OpenID Connect), configured by env.

Only people who already have a Tarian account are let in: accounts are never created from a
provider's claims, because an account's agency and roles decide what it may see (IS1). With
``TARIAN_OIDC_AGENCY`` set, only that agency's users may use the provider.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from tarian.agencies.models import User


class TarianOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = str(claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return User.objects.none()
        users = User.objects.filter(email__iexact=email, is_active=True)
        agency = getattr(settings, "TARIAN_OIDC_AGENCY", "")
        if agency:
            users = users.filter(agency__slug=agency)
        return users

    def create_user(self, claims: dict[str, Any]) -> None:
        """Never: a Tarian account is made by an administrator, with an agency and roles."""
        return None

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return user
