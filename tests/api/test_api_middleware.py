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
        "tarian.api.middleware.ApiLocaleMiddleware",
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


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json; indent=2"])
def test_json_is_answered_however_it_is_asked_for(
    client: Client, social_worker: User, accept: str | None
) -> None:
    token = issue_token(social_worker)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if accept is not None:
        headers["HTTP_ACCEPT"] = accept
    response = client.get("/api/v1/people?q=Jones", **headers)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")


def test_a_client_accepting_only_html_is_told_406(client: Client, social_worker: User) -> None:
    token = issue_token(social_worker)
    response = client.get(
        "/api/v1/people?q=Jones", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 406


def test_the_person_read_writes_the_json_rest_framework_would(
    client: Client, social_worker: User, child: object
) -> None:
    """The person read's plain JSON answer is byte for byte what ``Response`` would render."""
    from rest_framework.renderers import JSONRenderer

    from tarian.people import selectors
    from tarian.people.api.serializers import person_detail_data

    token = issue_token(social_worker)
    ref = child.ref  # type: ignore[attr-defined]
    response = client.get(f"/api/v1/people/{ref}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    expected = JSONRenderer().render(person_detail_data(selectors.read_person(social_worker, ref)))
    assert response.content == expected
    assert "Accept" in response.headers["Vary"]
