"""SM3: overdue actions are flagged to their owner and the chair (the subject's overseers),
once each, by ``tarian tick``, which runs every registered timed job in its own transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tarian.actions import services
from tarian.actions.models import AgreedAction
from tarian.agencies.models import Agency, User
from tarian.notifications.models import Notification
from tarian.operations.tick import register_tick_job, tick_jobs, unregister_tick_job
from tests.actions.conftest import TODAY, Meeting, agree
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DUE = TODAY + dt.timedelta(days=2)
AFTER = DUE + dt.timedelta(days=1)


def test_sm3_overdue_action_flagged_to_owner_and_overseer_once(
    meetings: Meeting, social_worker: User, school: Agency, school_dsl: User,
) -> None:
    meetings.chairs["1"] = social_worker
    action = agree(social_worker, school, owner=school_dsl, due=DUE)
    assert services.flag_overdue(today=DUE) == 0  # due today is not yet overdue
    assert services.flag_overdue(today=AFTER) == 1
    notes = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in notes] == [school_dsl, social_worker]  # "elen" < "owain"
    note = notes[0]
    assert note.subject == "An agreed action is overdue"
    assert "attendance record" in note.body and "18 November 2026" in note.body
    assert note.link == f"/actions/{action.pk}/complete"
    # The subject goes by email: it says nothing about the child or the action.
    assert "attendance" not in note.subject
    action.refresh_from_db()
    assert action.flagged_overdue_at is not None
    assert services.flag_overdue(today=AFTER + dt.timedelta(days=5)) == 0
    assert Notification.objects.count() == 2


def test_sm3_an_action_with_no_named_owner_is_flagged_to_its_agency(
    social_worker: User, school: Agency, school_dsl: User, other_school_dsl: User,
) -> None:
    colleague = UserFactory(agency=school, roles=["dsl"])
    UserFactory(agency=school, roles=["dsl"], is_active=False)
    agree(social_worker, school, due=DUE)
    assert services.flag_overdue(today=AFTER) == 1
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        school_dsl.username, colleague.username
    }


def test_sm3_a_completed_action_is_never_flagged(
    social_worker: User, school: Agency, school_dsl: User,
) -> None:
    action = agree(social_worker, school, owner=school_dsl, due=DUE)
    services.complete_action(school_dsl, action_id=action.pk, outcome="Sent on time.")
    assert services.flag_overdue(today=AFTER) == 0
    assert not Notification.objects.exists()


def test_sm3_the_owner_reads_the_flag_in_welsh(
    social_worker: User, school: Agency, school_dsl: User,
) -> None:
    school_dsl.language = "cy"
    school_dsl.save(update_fields=["language"])
    agree(social_worker, school, owner=school_dsl, due=DUE)
    with translation.override("en"):
        services.flag_overdue(today=AFTER)
    note = Notification.objects.get()
    assert note.subject == "Mae cam gweithredu y cytunwyd arno yn hwyr"


def _tick(*arguments: str) -> str:
    out = StringIO()
    call_command("tick", *arguments, stdout=out, stderr=out)
    return out.getvalue()


def test_sm3_tick_flags_overdue_actions_once_and_is_idempotent(
    meetings: Meeting, social_worker: User, school: Agency, school_dsl: User,
) -> None:
    assert "actions.flag_overdue" in dict(tick_jobs())
    meetings.chairs["1"] = social_worker
    agree(social_worker, school, owner=school_dsl, due=DUE)
    first = _tick("--now", f"{AFTER.isoformat()}T09:00")
    assert "actions.flag_overdue: 1 overdue agreed action(s) flagged" in first
    second = _tick("--now", f"{AFTER.isoformat()}T09:05")
    assert "actions.flag_overdue: 0 overdue agreed action(s) flagged" in second
    assert Notification.objects.count() == 2
    assert AgreedAction.objects.get().flagged_overdue_at is not None


@pytest.fixture
def failing_job() -> Iterator[None]:
    def fail(now: dt.datetime) -> str:
        Notification.objects.all().delete()  # rolled back with the job's transaction
        raise RuntimeError("the printer is on fire")

    register_tick_job("aaa.failing", fail)
    yield
    unregister_tick_job("aaa.failing")


def test_tick_one_failing_job_does_not_stop_the_others_and_fails_the_command(
    failing_job: None, social_worker: User, school: Agency, school_dsl: User,
) -> None:
    agree(social_worker, school, owner=school_dsl, due=DUE)
    out = StringIO()
    with pytest.raises(CommandError, match="1 tick job"):
        call_command("tick", "--now", f"{AFTER.isoformat()}T09:00", stdout=out, stderr=out)
    text = out.getvalue()
    assert "aaa.failing: failed: RuntimeError: the printer is on fire" in text
    assert "actions.flag_overdue: 1 overdue agreed action(s) flagged" in text
    assert Notification.objects.count() == 1
