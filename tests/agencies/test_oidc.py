"""OpenID Connect: only existing accounts, matched by verified email, of the configured agency."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tarian.agencies.models import User
from tarian.agencies.oidc import TarianOIDCBackend

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

OIDC = {
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.org/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.org/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.org/jwks",
    "OIDC_RP_CLIENT_ID": "tarian",
    "OIDC_RP_CLIENT_SECRET": "not-used-in-tests",
    "OIDC_RP_SIGN_ALGO": "RS256",
}


@override_settings(**OIDC, TARIAN_OIDC_AGENCY="gaerwen-childrens-services")
def test_oidc_matches_existing_user_of_the_agency_by_verified_email(
    social_worker: User, school_dsl: User
) -> None:
    social_worker.email = "Owain.Bevan@gaerwen.example"
    social_worker.save()
    school_dsl.email = "elen@ysgol.example"
    school_dsl.save()
    backend = TarianOIDCBackend()
    found = backend.filter_users_by_claims({"email": "owain.bevan@gaerwen.example",
                                            "email_verified": True})
    assert list(found) == [social_worker]
    assert not backend.filter_users_by_claims({"email": "elen@ysgol.example"}).exists()
    assert not backend.filter_users_by_claims({"email": "owain.bevan@gaerwen.example",
                                               "email_verified": False}).exists()


@override_settings(**OIDC)
def test_oidc_never_creates_accounts() -> None:
    backend = TarianOIDCBackend()
    assert backend.create_user({"email": "stranger@example.org"}) is None
    assert not User.objects.filter(email="stranger@example.org").exists()


def _run_check(env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TARIAN_", "DJANGO_"))}
    env.update(TARIAN_DEBUG="1", TARIAN_DATA_DIR=str(tmp_path), **env_extra)
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--settings", "tarian.settings"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )


def test_oidc_half_configured_stops_start_up_naming_the_setting(tmp_path: Path) -> None:
    result = _run_check({"TARIAN_OIDC_CLIENT_ID": "tarian"}, tmp_path)
    assert result.returncode != 0
    assert "TARIAN_OIDC_AUTHORIZATION_ENDPOINT must be set" in result.stderr


def test_oidc_fully_configured_passes_checks(tmp_path: Path) -> None:
    result = _run_check(
        {"TARIAN_OIDC_CLIENT_ID": "tarian"}
        | {f"TARIAN_OIDC_{n}_ENDPOINT": f"https://idp.example.org/{n.lower()}"
           for n in ("AUTHORIZATION", "TOKEN", "USER", "JWKS")},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
