"""The ``tarian`` console command's administration commands (API contract)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tarian.agencies.credentials import user_for_token
from tarian.agencies.models import Agency, User
from tarian.cli import main

pytestmark = pytest.mark.django_db


def test_create_agency_then_user_with_token_prints_token_last() -> None:
    call_command("create_agency", slug="ysgol-test", name="Ysgol Test", agency_type="school")
    out = StringIO()
    call_command(
        "create_user",
        "--role",
        "dsl",
        "--role",
        "referrer",
        username="dsl1",
        agency="ysgol-test",
        password="A-long-enough-passphrase-9",
        token=True,
        stdout=out,
    )
    last_line = out.getvalue().strip().splitlines()[-1]
    user = user_for_token(last_line)
    assert user is not None and user.username == "dsl1"
    assert user.role_codes() == {"dsl", "referrer"}
    assert user.agency == Agency.objects.get(slug="ysgol-test")


def test_tarian_cli_accepts_hyphenated_command_names(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.append(argv)
    )
    main(["tarian", "create-agency", "--slug", "gaerwen-yot"])
    main(["tarian", "load-sharing-rules"])
    assert seen == [
        ["tarian", "create_agency", "--slug", "gaerwen-yot"],
        ["tarian", "load_sharing_rules"],
    ]


def test_create_user_refuses_unknown_agency() -> None:
    with pytest.raises(CommandError, match="No agency with slug 'nowhere'"):
        call_command(
            "create_user",
            "--role",
            "dsl",
            username="x",
            agency="nowhere",
            password="A-long-enough-passphrase-9",
        )
    assert not User.objects.filter(username="x").exists()


def test_create_user_refuses_weak_password() -> None:
    call_command("create_agency", slug="ysgol-test", name="Ysgol Test", agency_type="school")
    with pytest.raises(CommandError, match="--password"):
        call_command(
            "create_user", "--role", "dsl", username="x", agency="ysgol-test", password="password"
        )
    assert not User.objects.filter(username="x").exists()


def test_create_agency_refuses_bad_slug() -> None:
    with pytest.raises(CommandError, match="--slug"):
        call_command("create_agency", slug="Bad Slug", name="X", agency_type="school")
