"""IS1: the sharing rules decide every permission, in one place, and deny by default."""

from __future__ import annotations

import pytest

from tarian.agencies.access import can, scope_for
from tarian.agencies.models import Agency, Scope, SharingRule, User
from tarian.agencies.sharing import SharingRulesError, parse_rules
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_is1_default_rules_are_loaded_after_migrate() -> None:
    assert SharingRule.objects.filter(role="social_worker", record_kind="person").exists()
    assert all(rule.lawful_basis and rule.agreement for rule in SharingRule.objects.all())


def test_is1_childrens_services_social_worker_sees_all_people(social_worker: User) -> None:
    assert scope_for(social_worker, "person", "read") == Scope.ALL


def test_is1_school_dsl_sees_only_involved_people(school_dsl: User) -> None:
    assert scope_for(school_dsl, "person", "read") == Scope.INVOLVED


def test_is1_board_member_cannot_read_people(board_member: User) -> None:
    assert scope_for(board_member, "person", "read") == Scope.NONE
    assert not can(board_member, "person", "list")


def test_is1_user_without_agency_is_denied_everything(db: None) -> None:
    user = UserFactory(agency=None, roles=["social_worker"])
    assert scope_for(user, "person", "read") == Scope.NONE


def test_is1_user_of_inactive_agency_is_denied(
    social_worker: User, childrens_services: Agency
) -> None:
    childrens_services.is_active = False
    childrens_services.save()
    social_worker.refresh_from_db()
    assert scope_for(social_worker, "person", "read") == Scope.NONE


def test_is1_role_in_wrong_kind_of_agency_gets_nothing(school: Agency) -> None:
    """A 'social worker' role held in a school does not carry children's services' reach."""
    user = UserFactory(agency=school, roles=["social_worker"])
    assert scope_for(user, "person", "read") == Scope.NONE


def test_is1_no_rule_for_an_action_is_a_deny(school_dsl: User) -> None:
    assert scope_for(school_dsl, "person", "export") == Scope.NONE


def test_is1_widest_scope_of_several_roles_wins(school: Agency) -> None:
    user = UserFactory(agency=school, roles=["dsl", "auditor"])
    assert scope_for(user, "person", "read") == Scope.ALL


def test_is1_inactive_user_is_denied(social_worker: User) -> None:
    social_worker.is_active = False
    assert scope_for(social_worker, "person", "read") == Scope.NONE


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[rule]]\nroles=['dsl']", "[agreements] partnership"),
        (
            "[agreements]\npartnership='x'\n[lawful_basis]\nb='y'\n[[rule]]\nroles=['wizard']\n"
            "agency_types=['*']\nrecord_kinds=['person']\nactions=['read']\nscope='all'\nbasis='b'",
            "roles has unknown values ['wizard']",
        ),
        (
            "[agreements]\npartnership='x'\n[lawful_basis]\nb='y'\n[[rule]]\nroles=['dsl']\n"
            "agency_types=['*']\nrecord_kinds=['person']\nactions=['read']\nscope='everything'\n"
            "basis='b'",
            "scope must be one of",
        ),
        (
            "[agreements]\npartnership='x'\n[[rule]]\nroles=['dsl']\nagency_types=['*']\n"
            "record_kinds=['person']\nactions=['read']\nscope='all'\nbasis='missing'",
            "basis must name an entry",
        ),
        ("not = [valid", "not valid TOML"),
    ],
)
def test_is1_bad_sharing_rules_are_refused_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(SharingRulesError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        parse_rules(text, "test.toml")


def test_is1_upgrade_adds_defaults_only_for_kinds_without_rules() -> None:
    from tarian.agencies.sharing import load_default_rules_if_empty

    SharingRule.objects.filter(record_kind="referral").delete()
    SharingRule.objects.filter(record_kind="person", role="dsl").update(scope="all")
    load_default_rules_if_empty()
    assert SharingRule.objects.filter(record_kind="referral").exists()
    # The partnership's own change to an existing kind is kept.
    assert SharingRule.objects.filter(record_kind="person", role="dsl", scope="all").exists()
