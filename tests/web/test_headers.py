"""Headers and transport (ASVS V14): CSP without inline script, framing refused, deploy check."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tarian.agencies.models import User
from tests.clients import signed_in

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_csp_forbids_inline_script_and_framing(client: Client) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(social_worker: User) -> None:
    html = signed_in(social_worker).get("/").content.decode()
    for tag in html.split("<script")[1:]:
        head = tag.split(">", 1)[0]
        assert " src=" in head, f"inline script: <script{head}>"


def test_every_form_carries_a_csrf_token(social_worker: User) -> None:
    html = signed_in(social_worker).get("/account").content.decode()
    assert html.count("<form") == html.count("csrfmiddlewaretoken")


def test_session_and_csrf_cookies_are_httponly(client: Client, social_worker: User) -> None:
    client.post("/login", {"username": "owain", "password": "Tarian-test-password-1"})
    assert client.cookies["sessionid"]["httponly"]


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TARIAN_", "DJANGO_"))}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="tarian.example.org",
        TARIAN_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="tarian.settings",
    )
    env.pop("DATABASE_URL", None)
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(tmp_path), capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_api_answers_carry_the_strict_json_policy(client: Client) -> None:
    """The API's JSON may load nothing and be framed by nothing (IS1); pages keep theirs."""
    from tarian.api.middleware import API_CONTENT_SECURITY_POLICY

    response = client.get("/api/v1/people", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert response.headers["Content-Security-Policy"] == API_CONTENT_SECURITY_POLICY
    schema = client.get("/api/v1/openapi.json")
    assert schema.headers["Content-Security-Policy"] == API_CONTENT_SECURITY_POLICY
    page = client.get("/login")
    assert page.headers["Content-Security-Policy"] != API_CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
