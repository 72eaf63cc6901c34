"""Accounts are changed only through audited services (IS1, IS4): creating a user, and issuing
and revoking API tokens, each leave an entry in the audit log naming who did it, or the
system when a command or the demo did."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tarian.agencies import services
from tarian.agencies.credentials import user_for_token
from tarian.agencies.models import Agency, ApiToken, Team, User
from tarian.audit.models import AccessEvent
from tarian.errors import NotFound, Refused
from tests.clients import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSPHRASE = "A-long-enough-passphrase-9"


def _create(actor: User | None, **overrides: object) -> User:
    values: dict[str, object] = {
        "username": "elen",
        "agency": "ysgol-aberwen",
        "roles": ["dsl", "referrer"],
        "password": PASSPHRASE,
        "team": "Safeguarding",
        "first_name": "Elen",
        "last_name": "Parry",
        "email": "elen@example.org",
        "job_title": "Designated safeguarding lead",
    }
    values.update(overrides)
    return services.create_user(actor, **values)  # type: ignore[arg-type]


def test_is4_create_user_by_the_system_is_recorded_as_the_system(school: Agency) -> None:
    user = _create(None)
    assert user.agency == school
    assert user.team == Team.objects.get(agency=school, name="Safeguarding")
    assert user.role_codes() == {"dsl", "referrer"}
    assert user.job_title == "Designated safeguarding lead"
    assert user.check_password(PASSPHRASE)
    event = AccessEvent.objects.get(record_kind=services.USER)
    assert (event.user, event.username, event.user_display) == (None, "system", "Tarian (system)")
    assert (event.action, event.record_id, event.channel) == ("create", str(user.pk), "command")
    assert event.detail == {
        "username": "elen",
        "agency": "ysgol-aberwen",
        "team": "Safeguarding",
        "roles": ["dsl", "referrer"],
    }


def test_is4_create_user_names_the_administrator_and_an_update_is_recorded_as_one(
    school: Agency, childrens_services: Agency
) -> None:
    admin = UserFactory(username="alun", agency=childrens_services, roles=["system_admin"])
    _create(admin)
    moved = _create(admin, agency="gaerwen-childrens-services", roles=["social_worker"], team="")
    assert moved.agency == childrens_services and moved.team is None
    assert moved.role_codes() == {"social_worker"}
    assert moved.first_name == "Elen"  # a name left blank keeps the one the user has
    events = list(AccessEvent.objects.filter(record_kind=services.USER).order_by("id"))
    assert [(e.action, e.username, e.agency_slug) for e in events] == [
        ("create", "alun", "gaerwen-childrens-services"),
        ("update", "alun", "gaerwen-childrens-services"),
    ]
    assert events[1].detail["roles"] == ["social_worker"]
    assert User.objects.filter(username="elen").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"roles": ["dsl", "head_teacher"]}, "roles", "No role called 'head_teacher'"),
        ({"roles": []}, "roles", "at least one role"),
        ({"agency": "nowhere"}, "agency", "No agency with slug 'nowhere'"),
        ({"username": " "}, "username", "username"),
        ({"password": "password"}, "password", "too short"),
    ],
)
def test_is4_create_user_refusals_name_the_field_and_save_nothing(
    school: Agency, overrides: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(Refused) as refused:
        _create(None, **overrides)
    assert list(refused.value.errors) == [field]
    assert words in " ".join(refused.value.errors[field])
    assert not User.objects.exists()
    assert not Team.objects.exists()
    assert not AccessEvent.objects.exists()


def test_is4_create_user_refuses_a_bad_role_and_an_unknown_agency_together() -> None:
    with pytest.raises(Refused) as refused:
        _create(None, agency="nowhere", roles=["wizard"])
    assert sorted(refused.value.errors) == ["agency", "roles"]


def test_is4_create_user_command_is_audited_as_the_system(school: Agency) -> None:
    out = StringIO()
    call_command(
        "create_user",
        "--role",
        "dsl",
        username="dsl1",
        agency="ysgol-aberwen",
        password=PASSPHRASE,
        token=True,
        stdout=out,
    )
    user = User.objects.get(username="dsl1")
    user_event = AccessEvent.objects.get(record_kind=services.USER)
    token_event = AccessEvent.objects.get(record_kind=services.API_TOKEN)
    assert (user_event.username, user_event.channel, user_event.record_id) == (
        "system",
        "command",
        str(user.pk),
    )
    token = ApiToken.objects.get(user=user)
    assert (token_event.username, token_event.action, token_event.record_id) == (
        "system",
        "create",
        str(token.pk),
    )
    assert token_event.detail["username"] == "dsl1"
    assert user_for_token(out.getvalue().strip().splitlines()[-1]) == user


def test_is4_issuing_a_token_for_oneself_is_audited_without_the_secret(
    social_worker: User,
) -> None:
    raw = services.issue_account_token(
        social_worker, name="police records link", second_factor_verified=False
    )
    token = ApiToken.objects.get(user=social_worker)
    event = AccessEvent.objects.get(record_kind=services.API_TOKEN)
    assert (event.user, event.action, event.record_id) == (social_worker, "create", str(token.pk))
    assert event.detail["name"] == "police records link"
    assert event.detail["prefix"] == token.prefix
    assert raw not in str(event.detail) and token.token_hash not in str(event.detail)


def test_is4_a_privileged_token_refused_without_the_second_factor_records_nothing(
    board_member: User,
) -> None:
    with pytest.raises(Refused) as refused:
        services.issue_account_token(board_member, name="reports", second_factor_verified=False)
    assert list(refused.value.errors) == ["name"]
    assert not ApiToken.objects.exists()
    assert not AccessEvent.objects.exists()


def test_is4_revoking_a_token_is_audited_once(social_worker: User) -> None:
    raw = services.issue_account_token(social_worker, name="link", second_factor_verified=True)
    token = ApiToken.objects.get(user=social_worker)
    services.revoke_account_token(social_worker, token_id=token.pk)
    services.revoke_account_token(social_worker, token_id=token.pk)
    assert user_for_token(raw) is None
    revoked = AccessEvent.objects.filter(record_kind=services.API_TOKEN, action="update")
    assert [(e.user, e.record_id, e.detail["revoked"]) for e in revoked] == [
        (social_worker, str(token.pk), True)
    ]


def test_is1_another_users_token_is_not_found_and_stays_live(
    social_worker: User, team_manager: User
) -> None:
    raw = services.issue_account_token(social_worker, name="link", second_factor_verified=True)
    token = ApiToken.objects.get(user=social_worker)
    with pytest.raises(NotFound):
        services.revoke_account_token(team_manager, token_id=token.pk)
    with pytest.raises(NotFound):
        services.revoke_account_token(team_manager, token_id=token.pk + 1000)
    assert user_for_token(raw) == social_worker
    assert not AccessEvent.objects.filter(action="update").exists()


def test_is4_the_account_page_issues_and_revokes_through_the_audited_service(
    social_worker: User,
) -> None:
    client = signed_in(social_worker)
    assert client.post("/account", {"name": "records link"}).status_code == 200
    token = ApiToken.objects.get(user=social_worker)
    client.post(f"/account/tokens/{token.pk}/revoke")
    events = AccessEvent.objects.filter(record_kind=services.API_TOKEN).order_by("id")
    assert [(e.action, e.user, e.channel) for e in events] == [
        ("create", social_worker, "web"),
        ("update", social_worker, "web"),
    ]


def test_is4_a_password_like_the_users_own_name_is_refused(school: Agency) -> None:
    with pytest.raises(Refused) as refused:
        _create(None, first_name="Bethanwilliams", password="Bethanwilliams")
    assert list(refused.value.errors) == ["password"]
    assert "too similar" in " ".join(refused.value.errors["password"])
