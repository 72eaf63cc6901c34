"""What every endpoint needs from a request, written once."""

from __future__ import annotations

from rest_framework.request import Request

from tarian.agencies.models import User


def api_user(request: Request) -> User:
    """The user the token or session authenticated (the default permission refuses others)."""
    user = request.user
    assert isinstance(user, User)
    return user
