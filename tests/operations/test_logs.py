"""Structured JSON logs that keep personal data out (issue: security and reliability baseline).

ASVS V7.1: one JSON object per line; query strings dropped; sensitive extras redacted; users
appear as ids; exceptions by type and frames, without their message.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from pytest_django import Settings

from tarian.agencies.models import User
from tarian.operations.logs import JsonFormatter, RequestLogMiddleware

FORMATTER = JsonFormatter()


def format_record(
    message: str, *args: Any, extra: dict[str, Any] | None = None, exc_info: Any = None
) -> dict[str, Any]:
    record = logging.LogRecord("tarian.test", logging.WARNING, __file__, 1, message, args, exc_info)
    for key, value in (extra or {}).items():
        setattr(record, key, value)
    line = FORMATTER.format(record)
    assert "\n" not in line
    parsed: dict[str, Any] = json.loads(line)
    return parsed


def test_log_line_is_one_json_object_with_time_level_logger_and_message() -> None:
    entry = format_record("Referral %s received", "R12")
    assert entry["level"] == "WARNING" and entry["logger"] == "tarian.test"
    assert entry["message"] == "Referral R12 received"
    assert entry["time"].endswith("Z") and entry["time"][10] == "T"


def test_log_drops_query_strings_from_messages_and_extras() -> None:
    entry = format_record(
        "GET /people/search?q=Gwenllian+Prydderch&dob=2015-06-01 HTTP/1.1 from "
        "https://tarian.example.org/people?q=Gwen",
        extra={"path": "/people/search?q=Gwenllian", "referer": "https://x.test/a?b=c"},
    )
    assert entry["message"] == (
        "GET /people/search HTTP/1.1 from https://tarian.example.org/people"
    )
    assert entry["path"] == "/people/search" and entry["referer"] == "https://x.test/a"
    assert "Gwen" not in json.dumps(entry)


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "api_token",
        "client_secret",
        "Authorization",
        "nhs_number",
        "given_name",
        "username",
        "email",
        "date_of_birth",
        "postcode",
        "address",
        "sessionid",
    ],
)
def test_log_redacts_extras_whose_names_look_sensitive(key: str) -> None:
    entry = format_record("event", extra={key: "9434765919 Gwenllian"})
    assert entry[key] == "[redacted]"


def test_log_redacts_sensitive_keys_inside_nested_extras_and_keeps_the_rest() -> None:
    entry = format_record(
        "event",
        extra={
            "detail": {"person": {"family_name": "Prydderch", "ref": "T7K3M9Q2X"}, "count": 3},
            "status_code": 404,
            "duration_ms": 12.5,
            "user_id": 7,
        },
    )
    assert entry["detail"] == {
        "person": {"family_name": "[redacted]", "ref": "T7K3M9Q2X"},
        "count": 3,
    }
    assert (entry["status_code"], entry["duration_ms"], entry["user_id"]) == (404, 12.5, 7)


def test_log_writes_objects_by_type_and_users_by_id_never_their_names() -> None:
    class Person:
        def __str__(self) -> str:
            return "Gwenllian Prydderch"

    class FakeUser:
        pk = 42
        is_authenticated = True

        def __str__(self) -> str:
            return "Owain Jones"

    entry = format_record("event", extra={"subject": Person(), "actor": FakeUser()})
    assert entry["subject"] == "<Person>" and entry["actor"] == 42


def test_log_shows_a_request_extra_as_method_and_path_without_query() -> None:
    request = RequestFactory().get("/people/T7K3M9Q2X", {"q": "Gwenllian"})
    entry = format_record("Not Found: /people/T7K3M9Q2X", extra={"request": request})
    assert (entry["method"], entry["path"]) == ("GET", "/people/T7K3M9Q2X")
    assert "Gwenllian" not in json.dumps(entry)


def test_log_gives_exception_type_and_traceback_but_not_its_message() -> None:
    nhs_number = "".join(["94347", "65919"])  # not a literal in the source the traceback shows
    try:
        raise ValueError(f"Key (nhs_number)=({nhs_number}) already exists")
    except ValueError:
        entry = format_record("save failed", exc_info=sys.exc_info())
    assert entry["exception"]["type"] == "builtins.ValueError"
    assert "test_log_gives_exception_type_and_traceback" in entry["exception"]["traceback"]
    assert "9434765919" not in json.dumps(entry)


@pytest.mark.django_db
def test_request_log_has_route_template_status_duration_and_user_id_only(
    social_worker: User, caplog: pytest.LogCaptureFixture
) -> None:
    middleware = RequestLogMiddleware(lambda request: HttpResponse(status=200))
    request = RequestFactory().get("/people/search", {"q": "Gwenllian"})
    request.user = social_worker
    with caplog.at_level(logging.INFO, logger="tarian.requests"):
        middleware(request)
    [record] = caplog.records
    entry = json.loads(FORMATTER.format(record))
    assert entry["logger"] == "tarian.requests" and entry["level"] == "INFO"
    assert entry["path"] == "/people/search"  # no resolver match here, so the bare path
    assert entry["status_code"] == 200 and entry["user_id"] == social_worker.pk
    assert isinstance(entry["duration_ms"], float)
    assert "owain" not in json.dumps(entry) and "Gwenllian" not in json.dumps(entry)


@pytest.mark.django_db
def test_request_log_uses_the_url_pattern_not_the_identifiers_in_the_path(
    client: Client, social_worker: User, caplog: pytest.LogCaptureFixture, settings: Settings
) -> None:
    assert settings.MIDDLEWARE[0] == "tarian.operations.logs.RequestLogMiddleware"
    client.force_login(social_worker)
    with caplog.at_level(logging.INFO, logger="tarian.requests"):
        client.get("/people/T7K3M9Q2X?q=Gwenllian")
    [record] = [r for r in caplog.records if r.name == "tarian.requests"]
    entry = json.loads(FORMATTER.format(record))
    assert entry["path"] == "/people/<str:ref>"
    assert entry["message"] == f"GET /people/<str:ref> {entry['status_code']}"
    assert entry["user_id"] == social_worker.pk
