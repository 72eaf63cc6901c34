"""Hostile identifiers and filters get a refusal, never a server error (IS1, IS4).

Every URL that takes a Tarian ID (or another text identifier) in its path is called with a NUL
byte as the ID, on the web with the widest web access (a team manager) and on the API with the
same user's token, by GET, POST and (API) PATCH, with a body that passes validation where one
is needed. The answer must be a 4xx, like any ID that does not exist: a 500 is an outage that
anyone signed in can cause, and on PostgreSQL it is also a different answer from "not found".
The chronology's agency filter and a referral's children are tried the same way.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.people.models import Person
from tests.clients import signed_in
from tests.security.conftest import REASON, walk_urls

pytestmark = pytest.mark.django_db

NUL = "%00"

# Found by this file: before RejectNulMiddleware (tarian/web/middleware.py) and the NUL check
# on API bodies (tarian/api/errors.py), every call below answered 500 on PostgreSQL (psycopg:
# "PostgreSQL text fields cannot contain NUL (0x00) bytes"; jsonb: "unsupported Unicode escape
# sequence" for the chronology filter written to the audit log). SQLite answered 404.
PATH_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _with_nul(route: str) -> str | None:
    """The route with a NUL byte for every text parameter; None if it has none."""
    if not any(m["converter"] in (None, "str", "slug") for m in PATH_PARAMETER.finditer(route)):
        return None
    return "/" + PATH_PARAMETER.sub(lambda m: "1" if m["converter"] in ("int",) else NUL, route)


CASES = [
    pytest.param(name, method, path, id=f"{method}-{name}")
    for name, route, _ in walk_urls()
    if (path := _with_nul(route)) is not None
    for method in ("GET", "POST", "PATCH")
    if method != "PATCH" or name.startswith("api:")
]


def _body(name: str, method: str) -> dict[str, Any]:
    """A body that passes validation, so that the ID is really looked up."""
    if name == "api:person" and method == "PATCH":
        return {"version": 1, "reason": "Hostile input check"}
    if name == "api:involvements" and method == "POST":
        return {"agency": "gaerwen-childrens-services", "role": "other", "start_date": "2025-01-06"}
    if name == "api:break-glass":
        return {"reason": REASON}
    return {}


def _client(user: User, api: bool) -> Client:
    if api:
        client = Client(headers={"authorization": f"Bearer {issue_token(user)}"})
    else:
        client = signed_in(user)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(("name", "method", "path"), CASES)
def test_is4_a_nul_byte_as_an_id_is_refused_not_a_server_error(
    name: str, method: str, path: str, team_manager: User, child: Person
) -> None:
    api = name.startswith("api:")
    client = _client(team_manager, api=api)
    if name == "api:documents" and method == "POST":
        upload = SimpleUploadedFile("note.txt", b"A note.\n", content_type="text/plain")
        response = client.post(path, {"title": "Note", "file": upload})
    elif method == "GET":
        response = client.get(path)
    elif api:
        response = client.generic(
            method, path, json.dumps(_body(name, method)), content_type="application/json"
        )
    else:
        response = client.post(path, {"reason": REASON, "restricted": "no"})
    assert 400 <= response.status_code < 500, f"{method} {path}: {response.status_code}"


@pytest.mark.parametrize("api", [False, True], ids=["web", "api"])
def test_is4_a_nul_byte_in_the_chronology_agency_filter_is_not_a_server_error(
    api: bool, social_worker: User, child: Person
) -> None:
    client = _client(social_worker, api=api)
    path = f"/api/v1/children/{child.ref}/chronology" if api else f"/people/{child.ref}/chronology"
    response = client.get(path, {"agency": "\x00"})
    assert response.status_code in (200, 400), response.status_code


def test_is4_a_nul_byte_in_a_referrals_children_is_refused_not_a_server_error(
    social_worker: User,
) -> None:
    client = _client(social_worker, api=True)
    response = client.post(
        "/api/v1/referrals",
        {
            "children": ["T\x00"],
            "concern": "Hostile input check: a NUL in a Tarian ID.",
            "parental_awareness": "aware",
            "consent": "given",
            "priority": "standard",
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.status_code
