"""The demo's strategy discussions and Section 47 enquiries (issue 21): every new page has
something to show in ``tarian demo``, with clocks met, due and overdue, and the demo made twice
adds nothing (``tarian.strategy.demo``, ``tarian.enquiries.demo``)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from tarian.actions.models import AgreedAction
from tarian.agencies.models import User
from tarian.challenges.models import Challenge
from tarian.deadlines.selectors import due_and_overdue
from tarian.enquiries.models import ChildSeen, Enquiry, EnquiryStatus
from tarian.meetings.models import (
    Audience,
    Contribution,
    Dissent,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from tarian.notifications.models import Receipt
from tarian.procedures.clocks import ClockStatus
from tarian.seed.contributions import demo_modules
from tests.clients import signed_in

pytestmark = pytest.mark.django_db

# Enough children for two families at the demo school and GP practice (seconds, not minutes).
CHILDREN = "500"


def make_demo(settings: Any) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("demo", "--children", CHILDREN, "--no-serve", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output(settings: Any) -> str:
    return make_demo(settings)


def user(username: str) -> User:
    return User.objects.get(username=username)


def held_yesterday() -> Meeting:
    return Meeting.objects.get(
        kind="strategy_meeting", status=MeetingStatus.HELD, enquiries__status=EnquiryStatus.OPEN
    )


def test_sm1_a_gateway_decision_opened_a_discussion_still_convened_and_overdue(
    demo_output: str,
) -> None:
    discussion = Meeting.objects.get(kind="strategy_discussion")
    assert discussion.status == MeetingStatus.CONVENED
    assert discussion.origin_kind == "referral"
    due = due_and_overdue(user("gateway"), now=timezone.now())
    assert [item.status for item in due if item.deadline.subject_kind == "meeting"] == [
        ClockStatus.OVERDUE
    ]
    left_out = Invitation.objects.filter(meeting=discussion, status=InvitationStatus.EXCLUDED)
    assert [bool(invitation.status_reason) for invitation in left_out] == [True]
    assert "Strategy meetings: 3" in demo_output.splitlines()


def test_sm2_to_sm6_a_meeting_held_yesterday_has_every_part_recorded(demo_output: str) -> None:
    meeting = held_yesterday()
    assert meeting.held_at is not None
    assert timezone.localdate(meeting.held_at) < timezone.localdate()
    statuses = dict(meeting.invitations.values_list("agency__type", "status"))
    assert {statuses[kind] for kind in ("school", "police", "childrens_services")} == {
        InvitationStatus.ATTENDED
    }
    declined = meeting.invitations.get(status=InvitationStatus.DECLINED)
    assert declined.status_reason
    shared = dict(Contribution.objects.filter(meeting=meeting).values_list(
        "agency__type", "audience"))
    assert shared == {"school": Audience.INVITED, "police": Audience.STATUTORY}
    [decision] = meeting.decisions.all()
    assert decision.code == "section_47" and len(decision.rationale.split()) > 20
    [dissent] = Dissent.objects.filter(meeting=meeting)
    assert dissent.person.username == "gp" and dissent.decision_id == decision.pk
    assert meeting.addenda.count() == 1 and meeting.decisions_circulated_at is not None
    assert meeting.minutes.status == MinutesStatus.APPROVED
    actions = AgreedAction.objects.filter(subject_kind="meeting", subject_id=str(meeting.pk))
    overdue = actions.get(owner__username="school.dsl")
    assert overdue.is_open and overdue.due_date < timezone.localdate()
    done = actions.get(owner__username="cru.officer")
    assert not done.is_open and done.outcome
    minutes = Receipt.objects.filter(
        circulation__subject_id=str(meeting.pk), circulation__what="minutes"
    )
    assert minutes.get(recipient__username="school.dsl").opened_at is not None
    assert minutes.get(recipient__username="gp").opened_at is None
    challenge = Challenge.objects.get(about_kind="meeting_decision", about_id=str(decision.pk))
    assert challenge.tier == 1 and challenge.raised_by.username == "gp"
    assert any(
        item.deadline.subject_kind == "challenge"
        for item in due_and_overdue(user("team.manager"), now=timezone.now())
    )


def test_eq1_eq2_vc1_enquiries_with_a_child_seen_in_welsh_and_one_overdue(
    demo_output: str,
) -> None:
    enquiry = Enquiry.objects.get(strategy_meeting=held_yesterday())
    assert enquiry.type == "joint" and enquiry.status == EnquiryStatus.OPEN
    [seen] = ChildSeen.objects.filter(enquiry=enquiry)
    assert (seen.voice_method, seen.language) == ("own_words", "cy")
    assert seen.views.startswith("'Dw i")
    unseen = enquiry.children.exclude(pk=seen.child_id).get()
    due = due_and_overdue(user("social.worker"), now=timezone.now())
    assert [(item.deadline.person_id, item.status) for item in due
            if item.deadline.subject_kind == "enquiry"] == [(unseen.pk, ClockStatus.OVERDUE)]


def test_sm7_concluded_enquiries_have_their_review_meeting_convened(demo_output: str) -> None:
    concluded = Enquiry.objects.get(status=EnquiryStatus.CONCLUDED)
    assert concluded.outcome == "concerns_substantiated"
    assert concluded.analysis and concluded.conference_requested
    review = concluded.review_meeting
    assert review is not None
    assert (review.kind, review.status) == ("review_strategy_meeting", MeetingStatus.CONVENED)
    assert concluded.strategy_meeting.minutes.status == MinutesStatus.APPROVED


def test_making_the_demo_twice_adds_nothing(settings: Any, demo_output: str) -> None:
    def counts() -> list[int]:
        return [model.objects.count() for model in (
            Meeting, Invitation, Contribution, Dissent, Enquiry, ChildSeen, AgreedAction,
            Challenge, Receipt,
        )]

    before = counts()
    again = make_demo(settings)
    assert counts() == before
    assert "Strategy meetings" not in again


def test_the_school_dsl_home_lists_the_overdue_action_and_the_meeting(demo_output: str) -> None:
    meeting = held_yesterday()
    action = AgreedAction.objects.get(owner__username="school.dsl")
    page = signed_in(user("school.dsl")).get("/").content.decode()
    assert escape(action.description) in page
    assert f'href="/meetings/{meeting.pk}"' in page
    assert "Overdue" in page
    assert f"Minutes of strategy meeting {meeting.reference}" in page


def test_the_enquiries_demo_runs_after_the_meetings_it_starts_from() -> None:
    found = [module.__name__ for module in demo_modules()]
    assert found.index("tarian.referrals.demo") < found.index("tarian.strategy.demo")
    assert found.index("tarian.strategy.demo") < found.index("tarian.enquiries.demo")
