"""Deny by default: every page needs a logged-in user unless it is on a short public list.

Also ends a session a fixed number of hours after log-in, however active it has been (the idle
limit is Django's sliding ``SESSION_COOKIE_AGE``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

PUBLIC_PREFIXES = ("/static/", "/api/", "/login", "/i18n/", "/health", "/oidc/")
SESSION_STARTED = "tarian_session_started_at"


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PUBLIC_PREFIXES) and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED] = now
            elif now - float(started) > settings.TARIAN_SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                request.session["tarian_expired"] = True
        return self.get_response(request)


TWO_FACTOR_OPEN_PREFIXES = (
    "/static/",
    "/api/",
    "/login",
    "/logout",
    "/i18n/",
    "/health",
    "/account/two-factor",
)


def needs_two_factor(user: object) -> bool:
    """True if the user's roles require a second factor (system admin, board member ...)."""
    role_codes = getattr(user, "role_codes", None)
    if role_codes is None:
        return False
    return bool(role_codes() & set(settings.TARIAN_TWO_FACTOR_ROLES))


class TwoFactorMiddleware:
    """A signed-in user who has a second factor, or whose role requires one, must use it.

    Until they do, every page except the two-factor pages, log-out and the language switch
    sends them to set up or enter a code.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_OPEN_PREFIXES)
            and not user.is_verified()  # type: ignore[attr-defined]
        ):
            from django_otp import user_has_device

            if user_has_device(user):
                return redirect_to_login(request.get_full_path(), "web:two_factor_verify")
            if needs_two_factor(user):
                return redirect_to_login(request.get_full_path(), "web:two_factor_setup")
        return self.get_response(request)


class RejectNulMiddleware:
    """Refuse a request whose path or query string carries a NUL character, with 400.

    No Tarian identifier or filter can contain one, and PostgreSQL refuses NUL in text, so
    letting it through would turn hostile input into a server error instead of a clear refusal.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {
                        "errors": {
                            "__all__": ["The address contains a character that is not allowed."]
                        }
                    },
                    status=400,
                )
            from django.http import HttpResponseBadRequest

            return HttpResponseBadRequest("The address contains a character that is not allowed.")
        return self.get_response(request)
