"""Authentication: two-factor for privileged roles, lock-out after failures, API tokens."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tarian.agencies.credentials import user_for_token
from tarian.agencies.models import ApiToken, User
from tarian.agencies.two_factor import issue_enrolment_link
from tests.clients import signed_in

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_privileged_role_must_set_up_two_factor_before_anything_else(board_member: User) -> None:
    client = signed_in(board_member, verified=False)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/setup")
    link = issue_enrolment_link(board_member, issued_by="test")
    assert client.get(link.path()).status_code == 302
    page = client.get("/account/two-factor/setup")
    assert page.status_code == 200 and b"<svg" in page.content


def test_two_factor_setup_with_right_code_lets_the_user_in(board_member: User) -> None:
    client = signed_in(board_member, verified=False)
    client.get(issue_enrolment_link(board_member, issued_by="test").path())
    client.get("/account/two-factor/setup")
    device = TOTPDevice.objects.get(user=board_member)
    wrong = client.post("/account/two-factor/setup", {"code": "000000" if current_code(device)
                                                      != "000000" else "111111"})
    assert b"That code is not right" in wrong.content
    device.refresh_from_db()
    device.throttle_reset()  # a person takes longer than the throttle's first second to retype
    ok = client.post("/account/two-factor/setup", {"code": current_code(device), "next": "/"})
    assert ok.status_code == 302 and ok["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_user_with_a_device_must_enter_a_code_each_session(social_worker: User) -> None:
    device = TOTPDevice.objects.create(user=social_worker, name="app", confirmed=True)
    client = signed_in(social_worker)
    response = client.get("/")
    assert response["Location"].startswith("/account/two-factor/verify")
    empty = client.post("/account/two-factor/verify", {"code": ""})
    assert b"Enter the 6-digit code from your app" in empty.content
    ok = client.post("/account/two-factor/verify", {"code": current_code(device)})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200


def test_social_worker_is_not_forced_but_may_set_up_two_factor(social_worker: User) -> None:
    client = signed_in(social_worker)
    assert client.get("/").status_code == 200
    assert b"/account/two-factor/setup" in client.get("/account").content


def test_lockout_after_repeated_failures_is_recorded(client: Client, social_worker: User) -> None:
    for _ in range(5):
        client.post("/login", {"username": "owain", "password": "wrong-password"})
    locked = client.post("/login", {"username": "owain", "password": "Tarian-test-password-1"})
    assert locked.status_code == 429
    assert b"Too many attempts" in locked.content
    assert AccessAttempt.objects.filter(username="owain").exists()
    assert AccessFailureLog.objects.filter(username="owain").count() >= 5


def test_user_lists_issues_and_revokes_own_tokens(social_worker: User, team_manager: User) -> None:
    client = signed_in(social_worker)
    page = client.post("/account", {"name": "Police records link"})
    token = ApiToken.objects.get(user=social_worker)
    html = page.content.decode()
    assert "Police records link" in html and token.prefix in html
    raw = html.split('<code class="tarian-secret">')[1].split("</code>")[0]
    assert user_for_token(raw) == social_worker
    client.post(f"/account/tokens/{token.pk}/revoke")
    assert user_for_token(raw) is None
    assert signed_in(team_manager).post(f"/account/tokens/{token.pk}/revoke").status_code == 404


def test_token_form_names_missing_field(social_worker: User) -> None:
    html = signed_in(social_worker).post("/account", {"name": ""}).content.decode()
    assert "govuk-error-summary" in html and "Say what the token is for" in html
