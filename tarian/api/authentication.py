"""Bearer-token authentication for the API: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from tarian.agencies.credentials import user_for_token
from tarian.agencies.models import User


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>'"
            )
        user = user_for_token(parts[1])
        if user is None:
            raise exceptions.AuthenticationFailed(
                "The token is not valid, has expired or was revoked"
            )
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="tarian"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tarian.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
