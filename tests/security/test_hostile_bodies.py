"""Hostile request bodies get a refusal in the right shape, never a server error (#17, IS4).

Found with probes on a production-mode server, each a 500 before the fix named:

- JSON nested 1,000 deep, on every endpoint that reads JSON (``RecursionError`` in the parser):
  the API's parser (``tarian.api.parsers``, set once in ``REST_FRAMEWORK``) answers 400 with
  the error shape, ``__all__`` naming the body as a whole.
- A NUL character in an autosaved draft (``jsonb`` refuses it on PostgreSQL: ``DataError``),
  in a form, in a cookie (``sessionid="\\000..."`` reaches the session table), or in a JSON
  field: refused with 400 naming the field, before anything is saved, so the draft already
  saved stays as it was (``RejectNulMiddleware``; the parser for JSON).
- A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, or with too many fields or files: the API
  answered Django's HTML 400 page; it answers its JSON shape now, and pages keep HTML.

Run on SQLite and PostgreSQL: on SQLite a NUL was stored silently, which is no better.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tarian.documents.models import Document
from tarian.drafts.models import Draft
from tarian.people.models import Involvement, Person
from tarian.referrals.models import Referral, ReferralStatus
from tests.clients import signed_in
from tests.security.conftest import make_referral

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    client = Client(headers={"authorization": f"Bearer {issue_token(user)}"})
    client.raise_request_exception = False
    return client


def web(user: User) -> Client:
    client = signed_in(user)
    client.raise_request_exception = False
    return client


def errors_of(response: Any) -> dict[str, list[str]]:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = json.loads(response.content)
    assert set(body) == {"errors"}, body
    return dict(body["errors"])


# --- JSON nested too deeply, on every operation that reads JSON -----------------------------


def json_operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation whose body is JSON, from the schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    )


JSON_OPERATIONS = json_operations()
DEEP_BODIES = {
    "lists-1000": "[" * 1000 + "]" * 1000,
    "objects-1000": '{"a":' * 1000 + "1" + "}" * 1000,
    "lists-100000": "[" * 100_000 + "]" * 100_000,
    "lists-33": "[" * 33 + "]" * 33,
}


def test_is4_every_json_operation_is_covered() -> None:
    """The list below is the schema's: a new JSON operation is tried without being listed."""
    assert len(JSON_OPERATIONS) >= 12
    assert ("POST", "/api/v1/referrals") in JSON_OPERATIONS


def _path(template: str, child: Person, referral: Referral, involvement: Involvement) -> str:
    if template.startswith("/api/v1/referrals/"):
        ref = referral.ref
    elif template.startswith((
        "/api/v1/duplicates/", "/api/v1/actions/", "/api/v1/strategy-meetings/",
        "/api/v1/enquiries/", "/api/v1/receipts/",
    )):
        ref = "1"
    else:
        ref = child.ref
    return (
        template.replace("{id}", ref)
        .replace("{involvement_id}", str(involvement.pk))
        .replace("{merge_id}", "1")
        .replace("{unseen_id}", "1")
    )


@pytest.mark.parametrize("depth", list(DEEP_BODIES))
@pytest.mark.parametrize(("method", "template"), JSON_OPERATIONS)
def test_is4_json_nested_too_deeply_is_400_on_every_operation(
    method: str,
    template: str,
    depth: str,
    team_manager: User,
    child: Person,
    childrens_services: Agency,
) -> None:
    referral = make_referral(
        childrens_services,
        child,
        status=ReferralStatus.AWAITING_DECISION,
        referrer=team_manager,
        decider=team_manager,
    )
    involvement = Involvement.objects.get(person=child)
    path = _path(template, child, referral, involvement)
    response = api(team_manager).generic(
        method, path, DEEP_BODIES[depth], content_type="application/json"
    )
    assert response.status_code == 400, (path, response.content[:200])
    assert list(errors_of(response)) == ["__all__"]
    assert "32 levels" in errors_of(response)["__all__"][0]


def test_is4_json_as_deep_as_allowed_is_read_and_judged_by_its_fields(
    social_worker: User,
) -> None:
    nested: Any = "x"
    for _ in range(31):
        nested = [nested]
    response = api(social_worker).post(
        "/api/v1/people", {"kind": "child", "given_name": nested}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "given_name" in errors_of(response)


# --- NUL characters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"given_name": "Gwen\x00"}, "given_name"),
        ({"address": {"line1": "3 Lôn\x00 Las"}}, "address.line1"),
        ({"other_names": ["Mair", "\x00"]}, "other_names[1]"),
        ({"unknown\x00": "x"}, "unknown\ufffd"),
    ],
)
def test_is4_a_nul_in_a_json_field_is_named_and_nothing_saved(
    social_worker: User, body: dict[str, Any], field: str
) -> None:
    person = {"kind": "child", "given_name": "Nwl", "family_name": "Prawf", **body}
    if "address" in body:
        person["address"] = {**body["address"], "postcode": "LL77 7AB"}
    response = api(social_worker).post("/api/v1/people", person, content_type="application/json")
    assert response.status_code == 400
    assert list(errors_of(response)) == [field]
    assert not Person.objects.filter(family_name="Prawf").exists()


def test_is4_a_nul_in_a_referrals_child_is_named(social_worker: User, child: Person) -> None:
    response = api(social_worker).post(
        "/api/v1/referrals",
        {
            "children": [child.ref, "T\x00"],
            "concern": "c",
            "parental_awareness": "aware",
            "consent": "given",
            "priority": "standard",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(errors_of(response)) == ["children[1]"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("path", "form", "subject"),
    [
        ("/people/{ref}/edit/autosave", "person-edit", "{ref}"),
        ("/referrals/new/autosave", "referral", ""),
    ],
)
def test_is4_a_nul_in_an_autosave_is_refused_and_the_saved_draft_kept(
    path: str, form: str, subject: str, social_worker: User, child: Person
) -> None:
    client = web(social_worker)
    url = path.format(ref=child.ref)
    assert client.post(url, {"known_as": "Llian", "concern": "typed so far"}).status_code == 200
    saved = Draft.objects.get(
        user=social_worker, form=form, subject=subject.format(ref=child.ref)
    )
    response = client.post(url, {"known_as": "Llian\x00", "concern": "more\x00"})
    assert response.status_code == 400
    assert "“known_as” contains a NUL character" in response.content.decode()
    draft = Draft.objects.get(pk=saved.pk)
    assert (draft.data, draft.saved_at) == (saved.data, saved.saved_at)


def test_is4_a_nul_in_a_web_form_is_refused_and_nothing_saved(social_worker: User) -> None:
    response = web(social_worker).post(
        "/people/new", {"kind": "child", "family_name": "Nwl\x00", "sex": "unknown"}
    )
    assert response.status_code == 400
    assert "family_name" in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/people", {"q": "Gwen\x00"}, "q"),
        ("/api/v1/people/match", {"family_name": "Jones", "postcode": "LL77\x00"}, "postcode"),
        ("/api/v1/referrals", {"status\x00": "x"}, "status\ufffd"),
    ],
)
def test_is4_a_nul_in_a_query_parameter_is_named(
    path: str, query: dict[str, str], field: str, social_worker: User
) -> None:
    response = api(social_worker).get(path, query)
    assert response.status_code == 400
    assert list(errors_of(response)) == [field]


def test_is4_a_nul_in_the_address_is_refused_as_the_request_as_a_whole(
    social_worker: User,
) -> None:
    response = api(social_worker).get("/api/v1/people/T\x00")
    assert response.status_code == 400
    assert list(errors_of(response)) == ["__all__"]


def test_is4_a_nul_in_a_form_field_name_is_refused(social_worker: User, child: Person) -> None:
    response = web(social_worker).post(f"/people/{child.ref}/edit/autosave", {"k\x00": "v"})
    assert response.status_code == 400
    assert not Draft.objects.exists()


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "django_language"])
def test_is4_a_nul_in_a_cookie_is_refused_not_a_server_error(cookie: str) -> None:
    # An octal escape in a quoted cookie value is how a NUL passes a real HTTP server.
    client = Client(HTTP_COOKIE=f'{cookie}="\\000abcdefghijklmnop"')
    client.raise_request_exception = False
    for response in (client.get("/login"), client.get("/api/v1/people")):
        assert response.status_code == 400, response.content[:200]
    assert cookie in client.get("/api/v1/people").json()["errors"]


def test_is4_a_nul_in_a_header_is_refused_not_a_server_error(social_worker: User) -> None:
    client = Client(HTTP_USER_AGENT="Probe\x00")
    client.raise_request_exception = False
    response = client.post("/login", {"username": social_worker.username, "password": "wrong"})
    assert response.status_code == 400


@pytest.mark.parametrize("api_upload", [False, True], ids=["web", "api"])
def test_is4_a_nul_in_an_uploaded_files_name_never_reaches_the_database(
    api_upload: bool, social_worker: User, child: Person
) -> None:
    upload = SimpleUploadedFile("note\x00.txt", b"A note.\n", content_type="text/plain")
    if api_upload:
        response = api(social_worker).post(
            f"/api/v1/people/{child.ref}/documents", {"title": "Note", "file": upload}
        )
    else:
        response = web(social_worker).post(
            f"/people/{child.ref}/documents/new", {"title": "Note", "file": upload}
        )
    assert response.status_code < 500
    names = Document.objects.values_list("original_name", flat=True)
    assert all("\x00" not in name for name in names), list(names)


# --- Bodies over the limits ---------------------------------------------------------------


def test_is4_an_api_body_over_the_size_limit_answers_the_error_shape(
    social_worker: User, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    body = json.dumps({"concern": "x" * 2_700_000})
    response = api(social_worker).post("/api/v1/referrals", body, content_type="application/json")
    assert response.status_code == 400
    assert errors_of(response) == {
        "__all__": ["The request body is too large: send at most 2.5 MB"]
    }


def test_is4_an_api_upload_with_too_many_fields_answers_the_error_shape(
    social_worker: User, child: Person, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = {f"field{i}": "x" for i in range(20)}
    response = api(social_worker).post(f"/api/v1/people/{child.ref}/documents", fields)
    assert response.status_code == 400
    assert "too many fields" in errors_of(response)["__all__"][0]


def test_is4_an_api_upload_with_too_many_files_answers_the_error_shape(
    social_worker: User, child: Person, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = {
        f"file{i}": SimpleUploadedFile(f"n{i}.txt", b"A note.\n", content_type="text/plain")
        for i in range(4)
    }
    response = api(social_worker).post(f"/api/v1/people/{child.ref}/documents", files)
    assert response.status_code == 400
    assert "too many files" in errors_of(response)["__all__"][0]


def test_is4_a_page_body_over_the_size_limit_keeps_the_html_page(
    social_worker: User, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = web(social_worker).post("/referrals/new/autosave", {"concern": "x" * 2000})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not Draft.objects.exists()


def test_vc2_a_nul_refusal_is_in_the_language_the_person_chose(
    social_worker: User, child: Person
) -> None:
    client = signed_in(social_worker, language="cy")
    client.raise_request_exception = False
    response = client.post(f"/people/{child.ref}/edit/autosave", {"known_as": "Llian\x00"})
    assert response.status_code == 400
    assert "yn cynnwys nod NUL" in response.content.decode()
