"""SM3: who sees an agreed action, and the lists read in a fixed number of statements however
many actions there are."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tarian.actions import selectors
from tarian.actions.models import AgreedAction
from tarian.agencies.models import Agency, User
from tarian.errors import NotFound
from tests.actions.conftest import KIND, TODAY, Meeting, agree
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _many(user: User, agency: Agency, count: int, *, owner: User | None = None) -> None:
    for n in range(count):
        agree(user, agency, owner=owner, subject=str(n % 3 + 1),
              due=TODAY + dt.timedelta(days=n % 20))


def test_sm3_my_actions_is_bounded_and_reads_a_fixed_number_of_statements(
    meetings: Meeting, social_worker: User, school: Agency, school_dsl: User,
    django_assert_num_queries: Any,
) -> None:
    meetings.chairs.update({"1": social_worker, "2": social_worker, "3": social_worker})
    _many(social_worker, school, 3, owner=school_dsl)
    with django_assert_num_queries(1):  # the actions; the test kind's describe reads nothing
        few = selectors.my_actions(school_dsl, today=TODAY)
    _many(social_worker, school, 60)
    with django_assert_num_queries(1):
        many = selectors.my_actions(school_dsl, today=TODAY)
    assert len(few) == 3 and len(many) == selectors.LIST_LIMIT
    assert meetings.describe_calls == 2  # once per kind per list, never per row
    assert [i.action.due_date for i in many] == sorted(i.action.due_date for i in many)
    assert {i.what for i in many} <= {"Test meeting 1", "Test meeting 2", "Test meeting 3"}


def test_sm3_my_actions_marks_overdue_and_leaves_out_the_completed_and_colleagues_named(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    colleague = UserFactory(agency=school, roles=["dsl"])
    mine = agree(social_worker, school, owner=school_dsl, due=TODAY)
    agree(social_worker, school, owner=colleague)
    unnamed = agree(social_worker, school, due=TODAY + dt.timedelta(days=1))
    items = selectors.my_actions(school_dsl, today=TODAY + dt.timedelta(days=1))
    assert [(i.action.pk, i.is_overdue) for i in items] == [(mine.pk, True), (unnamed.pk, False)]
    # A kind nobody registered (no ``meetings`` fixture here): its code, no link.
    assert items[0].what == KIND
    assert items[0].link == ""


def test_sm3_actions_for_subject_in_one_statement(
    social_worker: User, school: Agency, police: Agency, django_assert_num_queries: Any
) -> None:
    agree(social_worker, school, subject="7")
    agree(social_worker, police, subject="7", due=TODAY + dt.timedelta(days=1))
    agree(social_worker, police, subject="8")
    with django_assert_num_queries(1):
        rows = selectors.actions_for_subject(social_worker, KIND, 7)
        owners = [row.owner_agency.slug for row in rows]
    assert owners == [police.slug, school.slug]


def test_sm3_visibility_owner_agency_named_owner_and_the_workflows_say(
    meetings: Meeting, social_worker: User, school: Agency, school_dsl: User,
    other_school_dsl: User, cru_officer: User,
) -> None:
    action = agree(social_worker, school, owner=school_dsl)
    assert selectors.action_for(school_dsl, action.pk) == action
    colleague = UserFactory(agency=school, roles=["dsl"])
    assert selectors.action_for(colleague, action.pk) == action
    for outsider in (other_school_dsl, cru_officer, social_worker):
        with pytest.raises(NotFound):
            selectors.action_for(outsider, action.pk)
    meetings.chairs["1"] = social_worker
    assert cru_officer.agency_id is not None
    meetings.invited["1"] = {cru_officer.agency_id}
    assert selectors.action_for(social_worker, action.pk) == action  # the chair
    assert selectors.action_for(cru_officer, action.pk) == action  # invited
    with pytest.raises(NotFound):
        selectors.action_for(other_school_dsl, action.pk)
    for nonsense in ("abc", "", -1, 10**12):
        with pytest.raises(NotFound):
            selectors.action_for(school_dsl, nonsense)


def test_sm3_an_unregistered_kind_is_seen_only_by_the_owner_agency(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = agree(social_worker, school, kind="nobody_registered")
    assert selectors.action_for(school_dsl, action.pk) == action
    with pytest.raises(NotFound):
        selectors.action_for(social_worker, action.pk)
    assert AgreedAction.objects.count() == 1
