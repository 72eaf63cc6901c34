"""The API's own middleware chain (issue 17, item 7; decision 21): requests under ``/api/``
leave ``MIDDLEWARE`` after the classes every answer needs and take ``API_MIDDLEWARE``, so the
pages' sessions, CSRF, log-in and two-factor machinery never run for a token's request — and
every answer still carries what IS1 asks of it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.api.middleware import API_CONTENT_SECURITY_POLICY, API_MIDDLEWARE
from tests.clients import signed_in

pytestmark = pytest.mark.django_db


def test_is1_api_answers_carry_every_protective_header(client: Client, social_worker: User) -> None:
    token = issue_token(social_worker)
    response = client.get("/api/v1/people?q=Jones", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Security-Policy"] == API_CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == settings.SECURE_REFERRER_POLICY
    assert response.headers["Content-Language"] == "en"
    assert "Accept-Language" in response.headers["Vary"]


def test_is1_api_sets_no_session_or_csrf_cookie(client: Client, social_worker: User) -> None:
    token = issue_token(social_worker)
    response = client.get("/api/v1/people?q=Jones", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.cookies == {}


def test_is1_a_signed_in_session_is_not_an_api_credential(social_worker: User) -> None:
    """The page's session cookie opens pages, never the API: only a token does."""
    browser = signed_in(social_worker)
    assert browser.get("/").status_code == 200
    response = browser.get("/api/v1/people?q=Jones")
    assert response.status_code == 401
    assert "errors" in response.json()


def test_is1_api_errors_answer_in_welsh_when_asked(client: Client, social_worker: User) -> None:
    token = issue_token(social_worker)
    asked = "/api/v1/people/match?given_name=Ann&family_name=Jones&date_of_birth=0001-01-01"
    english = client.get(asked, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    welsh = client.get(asked, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="cy")
    assert english.status_code == welsh.status_code == 400
    assert welsh.headers["Content-Language"] == "cy"
    assert "date_of_birth" in english.json()["errors"] and "date_of_birth" in welsh.json()["errors"]
    assert english.json() != welsh.json()


def test_is1_nul_in_an_api_address_is_refused_before_the_branch(client: Client) -> None:
    response = client.get("/api/v1/people?q=a%00b")
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


def test_pages_keep_the_whole_chain(social_worker: User) -> None:
    """Pages still get the session, CSRF and the pages' content security policy."""
    response = Client().get("/login")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert response.headers["Content-Security-Policy"] != API_CONTENT_SECURITY_POLICY


def test_the_api_chain_is_a_short_list_of_what_json_needs() -> None:
    """What the API runs after the branch; adding a page's middleware here needs a reason."""
    assert API_MIDDLEWARE == (
        "django.middleware.locale.LocaleMiddleware",
        "tarian.audit.middleware.AuditContextMiddleware",
        "tarian.api.middleware.ApiHeadersMiddleware",
    )
    branch = settings.MIDDLEWARE.index("tarian.api.middleware.ApiBranchMiddleware")
    before = settings.MIDDLEWARE[:branch]
    assert before == [
        "tarian.operations.logs.RequestLogMiddleware",
        "tarian.web.middleware.NoStoreMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "tarian.web.middleware.RejectNulMiddleware",
    ]
