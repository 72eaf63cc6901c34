"""IS1 through the API: a token's user arrives with their roles and sharing rules read in the
same statement as the token, and those rules are exactly the ones the web pages apply."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tarian.agencies.access import _rules_for, scope_for
from tarian.agencies.credentials import issue_token, revoke_token, user_for_token
from tarian.agencies.models import Agency, ApiToken, RecordKind, Scope, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.select_related("agency").get(pk=user.pk)


@pytest.mark.parametrize("roles", [["social_worker"], ["dsl", "auditor"], ["gateway_worker"], []])
def test_is1_token_user_has_the_same_roles_and_rules_as_the_web(
    school: Agency, childrens_services: Agency, roles: list[str]
) -> None:
    for agency in (school, childrens_services):
        user = UserFactory(agency=agency, roles=roles)
        found = user_for_token(issue_token(user))
        assert found is not None and found.pk == user.pk
        web = _fresh(user)
        assert found.role_codes() == web.role_codes() == frozenset(roles)
        assert found._sharing_rules == _rules_for(web)  # type: ignore[attr-defined]
        for kind in (RecordKind.PERSON, RecordKind.REFERRAL, RecordKind.MERGE):
            for action in ("read", "list", "write"):
                assert scope_for(found, kind, action) == scope_for(web, kind, action)


def test_is1_token_and_permission_checks_take_one_statement(
    social_worker: User, django_assert_num_queries: object
) -> None:
    raw = issue_token(social_worker)
    user_for_token(raw)  # the first use records when the token was used
    with django_assert_num_queries(1):  # type: ignore[operator]
        user = user_for_token(raw)
        assert user is not None
        assert scope_for(user, RecordKind.PERSON, "read") == Scope.ALL
        assert user.agency is not None and user.agency.type == "childrens_services"


def test_is1_rules_of_another_kind_of_agency_do_not_come_with_the_token(school: Agency) -> None:
    """A 'social worker' role held in a school does not carry children's services' reach."""
    user = user_for_token(issue_token(UserFactory(agency=school, roles=["social_worker"])))
    assert user is not None
    assert scope_for(user, RecordKind.PERSON, "read") == Scope.NONE


def test_is1_revoked_expired_and_inactive_tokens_give_no_user(social_worker: User) -> None:
    revoked = issue_token(social_worker)
    revoke_token(ApiToken.objects.get(prefix=revoked[:10]))
    expired = issue_token(social_worker)
    ApiToken.objects.filter(prefix=expired[:10]).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert user_for_token(revoked) is None
    assert user_for_token(expired) is None
    assert user_for_token("trn_not-a-token") is None
    assert user_for_token("not even the prefix") is None
    live = issue_token(social_worker)
    social_worker.is_active = False
    social_worker.save()
    assert user_for_token(live) is None
