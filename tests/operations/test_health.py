"""Liveness and readiness endpoints (issue: security and reliability baseline).

Public without logging in, JSON only, nothing about people or the software beyond a coarse
version; readiness answers 503 naming what failed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

import tarian
from tarian.operations import health

JSON = "application/json"


def test_liveness_answers_ok_without_touching_the_database(client: Client) -> None:
    # No django_db mark: any database query here would fail the test.
    response = client.get("/health")
    assert response.status_code == 200
    assert response["Content-Type"] == JSON
    assert response.json() == {"status": "ok", "version": tarian.__version__}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_answers_ok_when_database_answers_and_is_migrated(client: Client) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "version": tarian.__version__,
    }


@pytest.mark.django_db
def test_readiness_is_503_when_migrations_are_unapplied(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unapplied(self: Any, targets: Any, clean_start: bool = False) -> list[tuple[str, bool]]:
        return [("people.0099_new", False), ("audit.0099_new", False)]

    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", unapplied)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "migrations": "2 not applied",
        "version": tarian.__version__,
    }


def test_readiness_is_503_without_detail_when_the_database_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    class DownConnection:
        def cursor(self) -> Any:
            raise OperationalError('connection to server at "db.internal" (10.0.0.5) failed')

    monkeypatch.setattr(health, "connection", DownConnection())
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "version": tarian.__version__,
    }
    assert b"db.internal" not in response.content


def test_health_endpoints_are_public_and_refuse_writes(client: Client) -> None:
    assert client.get("/health").status_code == 200  # not redirected to the log-in page
    assert client.post("/health").status_code == 405


MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def production_static(settings: Any, tmp_path: Any) -> Any:
    """Static files as production serves them: hashed copies listed in a strict manifest.
    (Django's setting_changed handler re-creates the static storage for each change.)"""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = MANIFEST_STORAGES
    settings.WHITENOISE_USE_FINDERS = False
    return tmp_path / "static"


def test_collectstatic_succeeds_with_the_strict_manifest_storage(production_static: Any) -> None:
    """Every file the vendored CSS and JS reference (fonts, images, source maps) is shipped:
    the manifest storage refuses to collect a file that references a missing one, and then
    every page would fail in production."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    assert (production_static / "staticfiles.json").exists()
    assert (production_static / "vendor/govuk-frontend/govuk-frontend.min.css").exists()


def test_health_is_503_when_static_files_were_never_collected(
    client: Client, production_static: Any
) -> None:
    """A release without collected static files answers every page with an error: monitoring
    must see it (before, /health said ok)."""
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "static": "not collected",
        "version": tarian.__version__,
    }


@pytest.mark.django_db
def test_readiness_is_503_when_static_files_were_never_collected(
    client: Client, production_static: Any
) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["static"] == "not collected"


@pytest.mark.django_db
def test_health_is_ok_once_static_files_are_collected(
    client: Client, production_static: Any
) -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    assert client.get("/health").status_code == 200
    assert client.get("/health/ready").json()["status"] == "ok"
    (production_static / "web").joinpath("tarian.css").unlink()
    hashed = [p for p in (production_static / "web").iterdir() if p.name.startswith("tarian.")]
    for path in hashed:
        if path.suffix == ".css":
            path.unlink()
    assert client.get("/health").json() == {
        "status": "unavailable",
        "static": "missing",
        "version": tarian.__version__,
    }
