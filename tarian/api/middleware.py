"""The API's own, shorter middleware chain (issue 17, item 7; decision 21).

Django runs every class in ``MIDDLEWARE`` for every request. Most of them exist for pages:
sessions, CSRF, the signed-in user and their second factor, session expiry, messages, log-in
redirects, django-axes' lock-outs, the pages' content security policy and the refusal pages.
The API authenticates each request with a bearer token, never with a session or a cookie
(``tarian.api.authentication``), its views are exempt from CSRF (Django REST framework's
``APIView``), and its errors are JSON answered by ``tarian.api.errors``; yet running those
classes was about a quarter of the work of a person read.

``ApiBranchMiddleware`` sits in ``MIDDLEWARE`` after the classes every answer needs (the
request log, no-store, Django's security headers, the NUL refusal). For a path under
``/api/`` it hands the request to ``API_MIDDLEWARE`` — the language, the audit context and the
API's fixed headers — and then to Django's view handling; every other request goes on down
``MIDDLEWARE`` as before. ``MIDDLEWARE`` itself is unchanged, so Django's deployment checks
(CSRF, clickjacking, sessions) still see and check what the pages run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string

API_PREFIX = "/api/"

# What the API runs after the branch, outermost first. Each is a plain synchronous callable
# middleware or a ``MiddlewareMixin`` class; view, exception and template-response hooks are
# honoured as Django's handler honours them.
API_MIDDLEWARE = (
    "tarian.api.middleware.ApiLocaleMiddleware",
    "tarian.audit.middleware.AuditContextMiddleware",
    "tarian.api.middleware.ApiHeadersMiddleware",
)

# What a JSON answer may load or be framed by: nothing (it is data, never a page).
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ApiHandler(BaseHandler):
    """Django's request handling with ``API_MIDDLEWARE`` instead of ``MIDDLEWARE``."""

    def load_api_middleware(self, paths: tuple[str, ...] = API_MIDDLEWARE) -> None:
        self._view_middleware: list[Callable[..., Any]] = []
        self._template_response_middleware: list[Callable[..., Any]] = []
        self._exception_middleware: list[Callable[..., Any]] = []
        handler: Callable[..., Any] = convert_exception_to_response(
            self._get_response  # type: ignore[attr-defined]  # Django's, not in its stubs
        )
        for path in reversed(paths):
            middleware = import_string(path)(handler)
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler


class ApiBranchMiddleware:
    """Requests to the API take ``API_MIDDLEWARE``; pages go on down ``MIDDLEWARE``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.api = ApiHandler()
        self.api.load_api_middleware()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith(API_PREFIX):
            return self.api.get_response(request)
        return self.get_response(request)


class ApiLocaleMiddleware:
    """The language of the API's messages, chosen as Django's ``LocaleMiddleware`` chooses it
    (the language cookie, then ``Accept-Language``), with ``Vary`` and ``Content-Language`` on
    the answer; without what only pages need (language prefixes in addresses and their
    redirects: Tarian uses none)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(translation.get_language_from_request(request))
        language = translation.get_language()
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


class ApiHeadersMiddleware:
    """The headers of every API answer that page middleware would otherwise add: the fixed
    strict content security policy (JSON loads nothing) and no framing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = API_CONTENT_SECURITY_POLICY
        if "X-Frame-Options" not in response:
            response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        return response
