"""IS1: the sharing rules kept in each process's memory (issue 17) never outlive a change.
Every way of changing a rule — the loader, an ORM save, a bulk insert, an update, a delete,
plain SQL — changes the stamp in the same transaction, so the very next request, by token or
by session, is checked against the rules as they are now."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from tarian.agencies.access import prime_rules_for, scope_for
from tarian.agencies.credentials import issue_token, user_for_token
from tarian.agencies.models import Action, RecordKind, Scope, SharingRule, SharingRulesStamp, User

pytestmark = pytest.mark.django_db


def _rule(user: User) -> SharingRule:
    return SharingRule.objects.get(
        agency_type__in=["", user.agency.type], role="social_worker",
        record_kind=RecordKind.PERSON, action=Action.READ,
    )  # fmt: skip


def _narrow_by_save(rule: SharingRule) -> None:
    rule.scope = Scope.INVOLVED
    rule.save()


def _narrow_by_update(rule: SharingRule) -> None:
    SharingRule.objects.filter(pk=rule.pk).update(scope=Scope.INVOLVED)


def _remove_by_delete(rule: SharingRule) -> None:
    SharingRule.objects.filter(pk=rule.pk).delete()


def _remove_by_sql(rule: SharingRule) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM agencies_sharingrule WHERE id = %s", [rule.pk])


@pytest.mark.parametrize(
    ("change", "after"),
    [
        (_narrow_by_save, Scope.INVOLVED),
        (_narrow_by_update, Scope.INVOLVED),
        (_remove_by_delete, Scope.NONE),
        (_remove_by_sql, Scope.NONE),
    ],
)
def test_is1_a_changed_rule_applies_to_the_next_request(
    social_worker: User, change: Callable[[SharingRule], None], after: Scope
) -> None:
    raw = issue_token(social_worker)
    before = user_for_token(raw)
    assert before is not None
    assert scope_for(before, RecordKind.PERSON, Action.READ) == Scope.ALL
    stamp = SharingRulesStamp.objects.get().stamp
    change(_rule(social_worker))
    assert SharingRulesStamp.objects.get().stamp != stamp
    by_token = user_for_token(raw)
    assert by_token is not None
    assert scope_for(by_token, RecordKind.PERSON, Action.READ) == after
    by_session = User.objects.select_related("agency").get(pk=social_worker.pk)
    prime_rules_for(by_session)
    assert scope_for(by_session, RecordKind.PERSON, Action.READ) == after


def test_is1_a_rule_added_in_bulk_applies_to_the_next_request(school_dsl: User) -> None:
    raw = issue_token(school_dsl)
    first = user_for_token(raw)
    assert first is not None
    assert scope_for(first, RecordKind.MERGE, Action.WRITE) == Scope.NONE
    SharingRule.objects.filter(role="dsl", record_kind=RecordKind.MERGE).delete()
    SharingRule.objects.bulk_create([
        SharingRule(
            agency_type="", role="dsl", record_kind=RecordKind.MERGE, action=Action.WRITE,
            scope=Scope.ALL, agreement="test", lawful_basis="test",
        )
    ])  # fmt: skip
    again = user_for_token(raw)
    assert again is not None
    assert scope_for(again, RecordKind.MERGE, Action.WRITE) == Scope.ALL


def test_is1_roles_are_read_on_every_request(social_worker: User) -> None:
    """Only the rules are kept: a role taken away is gone at the next request."""
    raw = issue_token(social_worker)
    assert user_for_token(raw) is not None
    social_worker.roles.clear()
    user = user_for_token(raw)
    assert user is not None
    assert user.role_codes() == frozenset()
    assert scope_for(user, RecordKind.PERSON, Action.READ) == Scope.NONE
