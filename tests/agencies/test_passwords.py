"""#18 item 13: ``aaaaaaaaaaaa`` passed the password rules. Few different characters, a repeated
piece and passwords from a bundled breached list (also decorated) are now refused, offline,
in English and Welsh."""

from __future__ import annotations

import gzip
from io import StringIO

import pytest
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from tarian.agencies.demo import DEMO_PASSWORD
from tarian.agencies.passwords import LIST_PATH, breached_passwords
from tests.factories import AgencyFactory

LOW_VARIETY = "This password repeats itself or uses too few different characters"
BREACHED = "is in lists of passwords criminals try first"


def refusal(password: str) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    return " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "abababababab",
        "abcabcabcabc",
        "112211221122",
        "passwordpassword",
        "Gwenllian-Ffordd-aaaaa",
    ],
)
def test_is1_repeated_and_low_variety_passwords_are_refused(password: str) -> None:
    assert LOW_VARIETY in refusal(password)


@pytest.mark.parametrize(
    "password",
    [
        "qwertyuiop123",
        "iloveyou1234",
        "P@ssw0rd2026!",
        "Summer2026!!!",
        "liverpool123456",
        "1q2w3e4r5t6y",
        "!!Dragonfly2026",
        "Trustno1!!2026",
    ],
)
def test_is1_breached_and_decorated_common_passwords_are_refused(password: str) -> None:
    assert BREACHED in refusal(password)


@pytest.mark.parametrize(
    "password",
    [
        DEMO_PASSWORD,
        "Tarian-test-password-1",
        "Gwenllian-Ffordd-2031",
        "Xk9#mPq2vL8z",
        "afon las bore oer",
        "Smoke-test-1765072000-pass",
    ],
)
def test_good_passwords_still_pass(password: str) -> None:
    validate_password(password)


def test_is1_the_bundled_list_works_offline_and_holds_djangos_common_passwords() -> None:
    assert LIST_PATH.stat().st_size < 256 * 1024
    words = breached_passwords()
    assert len(words) > 40_000
    with gzip.open(CommonPasswordValidator().DEFAULT_PASSWORD_LIST_PATH, "rt") as stream:
        django_words = {line.strip().lower() for line in stream if line.strip()}
    assert django_words <= words


def test_vc2_password_refusals_are_in_welsh() -> None:
    with translation.override("cy"):
        assert "Mae'r cyfrinair hwn yn ailadrodd ei hun" in refusal("aaaaaaaaaaaa")
        assert "troseddwyr" in refusal("P@ssw0rd2026!")


@pytest.mark.django_db
def test_is1_create_user_refuses_aaaaaaaaaaaa() -> None:
    AgencyFactory(slug="ysgol-test")
    with pytest.raises(CommandError, match=f"--password: .*{LOW_VARIETY}"):
        call_command(
            "create_user",
            "--role",
            "dsl",
            username="x",
            agency="ysgol-test",
            password="aaaaaaaaaaaa",
            stdout=StringIO(),
        )
