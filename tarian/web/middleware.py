"""Deny by default: every page needs a logged-in user unless it is on a short public list.

Also ends a session a fixed number of hours after log-in, however active it has been (the idle
limit is Django's sliding ``SESSION_COOKIE_AGE``), refuses a request carrying a NUL
character before anything reads it (``RejectNulMiddleware``) and tells browsers and proxies
never to store an answer (``NoStoreMiddleware``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from tarian.agencies.two_factor import needs_two_factor
from tarian.core.untrusted import NUL, nul_in, printable_name

# Answers that keep their own caching: static files (WhiteNoise) and health checks.
OWN_CACHING_PREFIXES = ("/static/", "/health")
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


class TwoFactorMiddleware:
    """A signed-in user who has a second factor, or whose role requires one, must use it.

    Until they do, every page except the two-factor pages, log-out and the language switch
    sends them to set up or enter a code. Setting up needs a one-time link for such roles
    (``tarian.agencies.two_factor``): the set-up page asks for it.
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


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
ADDRESS = "\x00address"  # where the NUL is when it is in the path (no field name has a NUL)


def _nul_in_fields(fields: QueryDict) -> str | None:
    for name, values in fields.lists():
        if NUL in name or any(NUL in value for value in values):
            return printable_name(name)
    return None


def nul_field(request: HttpRequest) -> str | None:
    """Where a NUL character hides in the request, named as the answer should name it:
    ``ADDRESS`` for the path, else the query parameter, cookie, header, form or file field."""
    if NUL in request.path:
        return ADDRESS
    found = _nul_in_fields(request.GET) or nul_in(request.COOKIES)
    if found is not None:
        return found
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return key.removeprefix("HTTP_").lower().replace("_", "-")
    if request.method == "POST" and request.content_type in FORM_TYPES:
        found = _nul_in_fields(request.POST)
        if found is not None:
            return found
        for name, uploads in request.FILES.lists():
            if NUL in name or any(NUL in (upload.name or "") for upload in uploads):
                return printable_name(name)
    return None


class RejectNulMiddleware:
    """Refuse, with 400 naming the field, a request carrying a NUL character anywhere Django
    reads it before a view: the address, query, cookies, headers and form fields (#17).

    No Tarian identifier, filter or text can contain one, and PostgreSQL refuses NUL in text,
    so letting it through would turn hostile input into a server error (an autosaved draft, a
    session cookie ``"\\000..."``, an uploaded file's name) instead of a clear refusal. Nothing
    is saved, so what was saved before stays as it was. JSON bodies are checked by the API's
    parser (``tarian.api.parsers``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = nul_field(request)
        if field is None:
            return self.get_response(request)
        # Before LocaleMiddleware: answer in the language the person chose all the same.
        with translation.override(translation.get_language_from_request(request)):
            return self.refusal(request, field)

    @staticmethod
    def refusal(request: HttpRequest, field: str) -> HttpResponse:
        if field == ADDRESS:
            message = _("The address contains a character that is not allowed.")
            name = "__all__"
        else:
            message = _("“%(field)s” contains a NUL character, which is not allowed.") % {
                "field": field
            }
            name = field
        if request.path.startswith("/api/"):
            return JsonResponse({"errors": {name: [message]}}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class NoStoreMiddleware:
    """Every answer except static files and health checks says ``Cache-Control: no-store``
    (IS1): pages, API answers, redirects and errors alike (#18 item 4).

    Nearly every answer holds personal data or is about someone (a record, the chronology,
    search, referrals, a match, subject access, the account), and a 404 or 400 can still
    repeat what was asked for; a browser's or proxy's cache would keep it on a shared
    computer after sign-out. One rule for all is simpler and safer than a list of pages that
    must remember it. Outermost but one, so that answers made by middleware (a NUL refused, a
    redirect to log in) are covered too; an answer that already says ``no-store`` (document
    downloads: ``private, no-store``) is left as it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(OWN_CACHING_PREFIXES):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True)
        return response
