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
