"""The procedures app is installed and a bad TARIAN_PROCEDURES stops the system check (FD4)."""

from __future__ import annotations

from django.apps import apps
from pytest_django import Settings

from tarian.procedures.checks import check_procedures_pack


def test_procedures_app_is_installed_under_its_label() -> None:
    config = apps.get_app_config("procedures")

    assert config.name == "tarian.procedures"


def test_check_passes_for_a_shipped_pack(settings: Settings) -> None:
    settings.TARIAN_PROCEDURES = "england"

    assert check_procedures_pack(None) == []


def test_check_fails_loudly_for_an_unknown_pack(settings: Settings) -> None:
    settings.TARIAN_PROCEDURES = "scotland"

    errors = check_procedures_pack(None)

    assert [error.id for error in errors] == ["procedures.E001"]
    assert "no such procedures pack" in errors[0].msg
