"""#18 item 13: a password alone cannot set up a privileged user's second factor, and the API
tokens of privileged roles need it and live shorter.

A board member or administrator sets up an authenticator app only after opening a one-time
link an administrator made on the server (expiring, single use, for that user only); a token
for such a role comes from the account page only in a session that passed the second factor,
and lives at most ``TARIAN_API_TOKEN_DAYS_TWO_FACTOR`` days, also when the role came later.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tarian.agencies import two_factor
from tarian.agencies.credentials import issue_token, user_for_token
from tarian.agencies.models import ApiToken, EnrolmentLink, Role, User
from tarian.agencies.services import issue_account_token
from tarian.errors import Refused
from tests.clients import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SETUP = "/account/two-factor/setup"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def password_only(user: User) -> Client:
    """Someone who has the user's password, and nothing else."""
    return signed_in(user, verified=False)


def test_is1_password_alone_cannot_set_up_a_board_members_authenticator(
    board_member: User,
) -> None:
    client = password_only(board_member)
    assert client.get("/")["Location"].startswith(SETUP)

    page = client.get(SETUP)

    assert page.status_code == 403
    html = page.content.decode()
    assert "You need a set-up link" in html and "<svg" not in html
    assert not TOTPDevice.objects.filter(user=board_member).exists()
    posted = client.post(SETUP, {"code": "123456"})
    assert posted.status_code == 403
    assert not TOTPDevice.objects.filter(user=board_member, confirmed=True).exists()
    assert client.get("/").status_code == 302


def test_is1_a_one_time_link_lets_the_user_set_up_once(board_member: User) -> None:
    issued = two_factor.issue_enrolment_link(board_member, issued_by="test")
    client = password_only(board_member)

    opened = client.get(issued.path() + "&next=/account")

    assert opened.status_code == 302 and opened["Location"] == f"{SETUP}?next=%2Faccount"
    assert "enr_" not in opened["Location"]
    page = client.get(SETUP)
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=board_member, confirmed=False)
    done = client.post(SETUP, {"code": code_for(device), "next": "/"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert TOTPDevice.objects.get(user=board_member).confirmed
    assert client.get("/").status_code == 200
    assert two_factor.SESSION_KEY not in client.session
    issued.link.refresh_from_db()
    assert issued.link.used_at is not None


def test_is1_a_used_link_is_refused(board_member: User) -> None:
    issued = two_factor.issue_enrolment_link(board_member, issued_by="test")
    password_only(board_member).get(issued.path())

    again = password_only(board_member).get(issued.path())

    assert again.status_code == 400
    assert "This set-up link has already been used" in again.content.decode()
    assert b"<svg" not in again.content


def test_is1_an_expired_link_is_refused(board_member: User) -> None:
    made = timezone.now() - dt.timedelta(hours=72, minutes=1)
    issued = two_factor.issue_enrolment_link(board_member, issued_by="test", now=made)

    page = password_only(board_member).get(issued.path())

    assert page.status_code == 400
    assert "This set-up link has expired" in page.content.decode()
    issued.link.refresh_from_db()
    assert issued.link.used_at is None


def test_is1_another_users_link_is_refused_and_stays_theirs(
    board_member: User, auditor: User, childrens_services: Any
) -> None:
    admin = UserFactory(username="alun", agency=childrens_services, roles=["system_admin"])
    issued = two_factor.issue_enrolment_link(board_member, issued_by="test")

    page = password_only(admin).get(issued.path())

    assert page.status_code == 400
    assert "This set-up link was made for someone else" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert password_only(board_member).get(issued.path()).status_code == 302


def test_is1_an_unknown_link_is_refused_naming_the_field(board_member: User) -> None:
    page = password_only(board_member).get(SETUP, {"link": "enr_made-up"})
    html = page.content.decode()
    assert page.status_code == 400
    assert "govuk-error-summary" in html and 'href="#id_link"' in html
    assert "This set-up link is not valid" in html


def test_is1_the_whole_link_pasted_into_the_form_works(board_member: User) -> None:
    issued = two_factor.issue_enrolment_link(board_member, issued_by="test")
    whole = issued.url("https://tarian.example.org")
    assert password_only(board_member).get(SETUP, {"link": whole}).status_code == 302


def test_is1_a_new_link_cancels_an_older_one(board_member: User) -> None:
    first = two_factor.issue_enrolment_link(board_member, issued_by="test")
    two_factor.issue_enrolment_link(board_member, issued_by="test")
    assert password_only(board_member).get(first.path()).status_code == 400


def test_is1_opening_a_link_discards_a_key_shown_before(board_member: User) -> None:
    """An unconfirmed authenticator begun earlier (its key seen by whoever was there) is not
    the one the link's session confirms."""
    earlier = TOTPDevice.objects.create(user=board_member, name="earlier", confirmed=False)
    client = password_only(board_member)
    client.get(two_factor.issue_enrolment_link(board_member, issued_by="test").path())
    client.get(SETUP)
    assert not TOTPDevice.objects.filter(pk=earlier.pk).exists()


def test_is1_setting_up_must_finish_within_an_hour_of_opening_the_link(
    board_member: User,
) -> None:
    opened = timezone.now()
    issued = two_factor.issue_enrolment_link(board_member, issued_by="test", now=opened)
    link_id = two_factor.open_enrolment_link(board_member, issued.secret, now=opened)
    assert two_factor.enrolment_allowed(
        board_member, link_id, now=opened + dt.timedelta(minutes=59)
    )
    assert not two_factor.enrolment_allowed(
        board_member, link_id, now=opened + dt.timedelta(minutes=61)
    )
    assert not two_factor.enrolment_allowed(board_member, "1", now=opened)


def test_users_whose_role_does_not_need_it_may_still_turn_it_on_themselves(
    social_worker: User,
) -> None:
    page = signed_in(social_worker).get(SETUP)
    assert page.status_code == 200 and b"<svg" in page.content


def test_is1_create_user_prints_a_set_up_link_for_a_privileged_role_only(
    board: Any, childrens_services: Any
) -> None:
    out = StringIO()
    call_command(
        "create_user",
        "--username",
        "helen",
        "--agency",
        board.slug,
        "--role",
        "board_member",
        "--password",
        "Gwenllian-Ffordd-2031",
        "--token",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("Their role needs two-factor authentication")
    assert "/account/two-factor/setup?link=enr_" in lines[2]
    assert lines[-1].startswith("trn_")  # the token is still the last line
    helen = User.objects.get(username="helen")
    assert EnrolmentLink.objects.filter(user=helen, used_at__isnull=True).count() == 1

    out = StringIO()
    call_command(
        "create_user",
        "--username",
        "owain",
        "--agency",
        childrens_services.slug,
        "--role",
        "social_worker",
        "--password",
        "Gwenllian-Ffordd-2031",
        stdout=out,
    )
    assert "set-up link" not in out.getvalue()


def test_is1_two_factor_link_command_issues_and_replaces(board_member: User) -> None:
    out = StringIO()
    call_command("two_factor_link", "--username", "helen", stdout=out)
    assert "http://127.0.0.1:8000/account/two-factor/setup?link=enr_" in out.getvalue()

    TOTPDevice.objects.create(user=board_member, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="already has an authenticator app"):
        call_command("two_factor_link", "--username", "helen", stdout=StringIO())
    out = StringIO()
    call_command("two_factor_link", "--username", "helen", "--replace", stdout=out)
    assert "Removed 1 authenticator app(s) of helen" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=board_member).exists()
    with pytest.raises(CommandError, match="No active user 'nobody'"):
        call_command("two_factor_link", "--username", "nobody")


# API tokens ------------------------------------------------------------------------------


def test_is1_account_page_issues_a_privileged_token_only_after_the_second_factor(
    board_member: User,
) -> None:
    with pytest.raises(Refused) as refused:
        issue_account_token(board_member, name="link", second_factor_verified=False)
    assert "sign in with a code from your authenticator app" in refused.value.errors["name"][0]
    assert not ApiToken.objects.exists()

    password_only(board_member).post("/account", {"name": "board reports"})
    assert not ApiToken.objects.exists()

    page = signed_in(board_member).post("/account", {"name": "board reports"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=board_member)
    assert token.expires_at - token.created_at <= dt.timedelta(days=30)


def test_is1_privileged_tokens_live_at_most_the_shorter_setting(
    board_member: User, social_worker: User, settings: Any
) -> None:
    settings.TARIAN_API_TOKEN_DAYS_TWO_FACTOR = 7
    issue_token(board_member, name="server", days=365)
    issue_token(social_worker, name="case system", days=365)
    lives = {t.user_id: t.expires_at - t.created_at for t in ApiToken.objects.all()}
    assert lives[board_member.pk] <= dt.timedelta(days=7)
    assert lives[social_worker.pk] >= dt.timedelta(days=364)


def test_is1_a_long_lived_token_stops_when_its_user_gains_a_privileged_role(
    social_worker: User,
) -> None:
    raw = issue_token(social_worker, name="case system", days=365)
    ApiToken.objects.update(created_at=timezone.now() - dt.timedelta(days=31))
    assert user_for_token(raw) == social_worker

    social_worker.roles.add(Role.objects.get(code="system_admin"))

    assert user_for_token(raw) is None
    fresh = issue_token(User.objects.get(pk=social_worker.pk), name="new")
    assert user_for_token(fresh) is not None


def test_is1_the_demo_prints_a_set_up_link_for_each_privileged_user_without_an_app(
    board_member: User, social_worker: User, auditor: User
) -> None:
    from tarian.agencies.demo import DemoLogin, enrolment_links

    logins = [
        DemoLogin(user.username, "", "", "", "", (), "")
        for user in (board_member, social_worker, auditor)
    ]
    [(username, url)] = enrolment_links(logins, base_url="http://127.0.0.1:8000")
    assert username == "helen"
    assert url.startswith("http://127.0.0.1:8000/account/two-factor/setup?link=enr_")
    assert (
        password_only(board_member).get(url.removeprefix("http://127.0.0.1:8000")).status_code
        == 302
    )

    TOTPDevice.objects.create(user=board_member, name="phone", confirmed=True)
    assert enrolment_links(logins, base_url="http://127.0.0.1:8000") == []


def test_vc2_the_set_up_link_page_is_in_welsh(board_member: User) -> None:
    page = signed_in(board_member, "cy", verified=False).get(SETUP)
    html = page.content.decode()
    assert page.status_code == 403
    assert "Mae angen dolen sefydlu arnoch" in html and "Eich dolen sefydlu" in html
    refused = signed_in(board_member, "cy", verified=False).get(SETUP, {"link": "enr_x"})
    assert "ddolen sefydlu hon yn ddilys" in refused.content.decode()
