"""SM3: an agreed action has an owner (an agency, and a person where named) and a due date, and
is closed only with an outcome by someone who may close it (AP3: "the coordinating lead")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tarian.actions import services
from tarian.actions.models import ActionStatus, AgreedAction
from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessEvent, RecordVersion
from tarian.errors import Conflict, Forbidden, NotFound, Refused
from tests.actions.conftest import KIND, TODAY, Meeting, agree
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def test_sm3_an_action_is_agreed_with_owner_and_due_date_and_audited(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = agree(social_worker, school, owner=school_dsl)
    action.refresh_from_db()
    assert (action.subject_kind, action.subject_id, action.owner, action.owner_agency) == (
        KIND, "1", school_dsl, school
    )
    assert (action.status, action.version, action.created_by) == (
        ActionStatus.OPEN, 1, social_worker
    )
    version = RecordVersion.objects.get(record_kind="agreed_action", record_id=str(action.pk))
    assert version.data["owner"] == school_dsl.username
    assert AccessEvent.objects.filter(
        record_kind="agreed_action", record_id=str(action.pk), action="create"
    ).exists()


def test_sm3_agreeing_joins_the_callers_transaction(
    social_worker: User, school: Agency
) -> None:
    """A workflow's service agrees actions with its own work: they roll back together."""
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        agree(social_worker, school)
        1 / 0  # noqa: B018 - the workflow's work fails after the action was agreed
    assert not AgreedAction.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "   "}, "description"),
        ({"due_date": None}, "due_date"),
        ({"due_date": TODAY - dt.timedelta(days=1)}, "due_date"),
        ({"due_date": TODAY + dt.timedelta(days=3 * 365)}, "due_date"),
        ({"owner_agency": None}, "owner_agency"),
    ],
)
def test_sm3_agreeing_refuses_naming_the_field(
    social_worker: User, school: Agency, change: dict[str, object], field: str
) -> None:
    arguments: dict[str, object] = {
        "subject_kind": KIND, "subject_id": "1", "description": "Visit the child at home",
        "owner_agency": school, "due_date": TODAY + dt.timedelta(days=5), "today": TODAY,
        **change,
    }
    with pytest.raises(Refused) as refused:
        services.agree_action(social_worker, **arguments)  # type: ignore[arg-type]
    assert list(refused.value.errors) == [field]
    assert not AgreedAction.objects.exists()


def test_sm3_the_owner_must_work_for_the_owner_agency(
    social_worker: User, school: Agency, other_school_dsl: User
) -> None:
    with pytest.raises(Refused) as refused:
        agree(social_worker, school, owner=other_school_dsl)
    assert list(refused.value.errors) == ["owner"]


def test_sm3_an_inactive_agency_cannot_own_an_action(social_worker: User) -> None:
    closed = AgencyFactory(is_active=False)
    with pytest.raises(Refused) as refused:
        agree(social_worker, closed)
    assert list(refused.value.errors) == ["owner_agency"]


def test_sm3_every_problem_is_named_at_once(social_worker: User, school: Agency) -> None:
    with pytest.raises(Refused) as refused:
        services.agree_action(
            social_worker, subject_kind=KIND, subject_id="1", description="",
            owner_agency=school, due_date=None, today=TODAY,
        )
    assert set(refused.value.errors) == {"description", "due_date"}


def test_sm3_action_closes_only_with_an_outcome(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = agree(social_worker, school, owner=school_dsl)
    for blank in ("", "   \n "):
        with pytest.raises(Refused) as refused:
            services.complete_action(school_dsl, action_id=action.pk, outcome=blank, now=NOW)
        assert list(refused.value.errors) == ["outcome"]
    action.refresh_from_db()
    assert (action.status, action.version) == (ActionStatus.OPEN, 1)
    done = services.complete_action(
        school_dsl, action_id=action.pk, outcome=" Attendance record sent on 18 November. ",
        version=1, now=NOW,
    )
    done.refresh_from_db()
    assert (done.status, done.outcome, done.completed_at, done.completed_by) == (
        ActionStatus.COMPLETED, "Attendance record sent on 18 November.", NOW, school_dsl
    )
    assert (done.version, done.modified_by) == (2, school_dsl)
    assert RecordVersion.objects.filter(
        record_kind="agreed_action", record_id=str(action.pk), version=2,
        data__status="completed",
    ).exists()


def test_sm3_the_database_refuses_a_completed_action_without_an_outcome(
    social_worker: User, school: Agency
) -> None:
    action = agree(social_worker, school)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedAction.objects.filter(pk=action.pk).update(
            status=ActionStatus.COMPLETED, completed_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedAction.objects.filter(pk=action.pk).update(
            status=ActionStatus.COMPLETED, outcome="Done"
        )


def test_sm3_a_completed_action_is_not_completed_again(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = agree(social_worker, school)
    services.complete_action(school_dsl, action_id=action.pk, outcome="Sent.", now=NOW)
    with pytest.raises(Refused) as refused:
        services.complete_action(school_dsl, action_id=action.pk, outcome="Sent again.")
    assert refused.value.errors == {"outcome": ["This action was completed on 20 November 2026."]}
    action.refresh_from_db()
    assert action.outcome == "Sent."


def test_sm3_a_stale_version_is_a_conflict(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = agree(social_worker, school)
    with pytest.raises(Conflict) as conflict:
        services.complete_action(school_dsl, action_id=action.pk, outcome="Sent.", version=7)
    assert conflict.value.current_version == 1
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_sm3_another_agency_is_told_the_action_does_not_exist(
    social_worker: User, school: Agency, other_school_dsl: User
) -> None:
    action = agree(social_worker, school)
    with pytest.raises(NotFound):
        services.complete_action(other_school_dsl, action_id=action.pk, outcome="Done.")
    with pytest.raises(NotFound):
        services.complete_action(other_school_dsl, action_id=action.pk + 99, outcome="Done.")


def test_sm3_an_invited_agency_sees_but_may_not_complete(
    meetings: Meeting, social_worker: User, school: Agency, other_school_dsl: User
) -> None:
    meetings.chairs["1"] = social_worker
    assert other_school_dsl.agency_id is not None
    meetings.invited["1"] = {other_school_dsl.agency_id}
    action = agree(social_worker, school)
    with pytest.raises(Forbidden):
        services.complete_action(other_school_dsl, action_id=action.pk, outcome="Done.")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_sm3_the_chair_may_complete_another_agencys_action_through_may_complete(
    meetings: Meeting, school: Agency, police: Agency
) -> None:
    chair = UserFactory(agency=police, roles=["cru_officer"])
    meetings.chairs["1"] = chair
    action = agree(chair, school)
    done = services.complete_action(chair, action_id=action.pk, outcome="Discussed at review.")
    assert done.completed_by == chair


def test_sm3_an_unregistered_kind_is_completed_only_by_the_owner_agency(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = agree(school_dsl, school, kind="nobody_registered")
    with pytest.raises(NotFound):
        services.complete_action(social_worker, action_id=action.pk, outcome="Done.")
    assert services.complete_action(
        school_dsl, action_id=action.pk, outcome="Done."
    ).status == ActionStatus.COMPLETED
