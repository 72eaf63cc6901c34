"""Issue 21 (SM3, PC1): agreed actions on the meeting's page. The chair agrees an action owned
by an invited agency (one not invited is refused on the field, the text kept); the owner
completes it with an outcome through the actions page and the meeting shows the outcome; an
invited school sees the actions but cannot agree one. Each decision shows its challenges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tarian.actions.models import AgreedAction
from tarian.agencies.models import Agency, User
from tarian.errors import Refused
from tarian.meetings import services
from tarian.meetings.models import Meeting
from tests.clients import signed_in

pytestmark = pytest.mark.django_db

WHAT = "Send the attendance record for this term to the social worker"
RATIONALE = ("Bruising seen twice and the child says she is hungry at home: joint enquiries "
             "with the police are needed to understand what is happening.")


def _form(agency: Agency, owner: str = "", description: str = WHAT) -> dict[str, object]:
    due = timezone.localdate() + dt.timedelta(days=7)
    return {"action-owner_agency": agency.pk, "action-owner": owner,
            "action-description": description, "action-day": due.day,
            "action-month": due.month, "action-year": due.year}


def test_sm3_chair_agrees_an_action_owned_by_an_invited_agency(
    meeting: Meeting, gateway_worker: User, school_dsl: User, school: Agency
) -> None:
    client = signed_in(gateway_worker)
    page = client.get(f"/meetings/{meeting.pk}").content.decode()
    assert "Agree an action" in page and f'value="{school.pk}"' in page
    assert f'value="{school_dsl.username}"' in page
    response = client.post(f"/meetings/{meeting.pk}/actions", _form(school, school_dsl.username))
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}#actions"
    action = AgreedAction.objects.get()
    assert action.owner_agency == school and action.owner == school_dsl
    assert action.subject_kind == "meeting" and action.subject_id == str(meeting.pk)
    page = client.get(f"/meetings/{meeting.pk}").content.decode()
    assert WHAT in page and "The action is agreed and recorded." in page
    # The chair may complete it too (the meeting's rule): its line links to the actions page.
    assert f"/actions/{action.pk}/complete" in page


def test_sm3_action_for_an_agency_not_invited_is_refused_on_the_field(
    meeting: Meeting, gateway_worker: User, housing: Agency
) -> None:
    response = signed_in(gateway_worker).post(f"/meetings/{meeting.pk}/actions",
                                              _form(housing, description="Kept text"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_action-owner_agency-error"' in page
    assert "Choose an agency invited to this meeting" in page
    assert "Kept text" in page
    assert not AgreedAction.objects.exists()
    no_date = signed_in(gateway_worker).post(f"/meetings/{meeting.pk}/actions", {
        **_form(meeting.convening_agency), "action-day": "", "action-month": "", "action-year": ""})
    assert no_date.status_code == 400
    assert 'id="id_action-day-error"' in no_date.content.decode()


def test_sm3_school_completes_the_action_with_an_outcome_and_the_meeting_shows_it(
    meeting: Meeting, gateway_worker: User, school_dsl: User, school: Agency
) -> None:
    action = services.agree_meeting_action(
        gateway_worker, meeting_id=meeting.pk, description=WHAT, owner_agency=school,
        due_date=timezone.localdate() + dt.timedelta(days=3),
    )
    client = signed_in(school_dsl)
    page = client.get(f"/meetings/{meeting.pk}").content.decode()
    assert f"/actions/{action.pk}/complete" in page
    done = client.post(f"/actions/{action.pk}/complete",
                       {"version": action.version, "outcome": "Sent on Tuesday by email."})
    assert done.status_code == 302
    assert done["Location"] == f"/meetings/{meeting.pk}"
    page = client.get(f"/meetings/{meeting.pk}").content.decode()
    assert "Sent on Tuesday by email." in page
    assert f"/actions/{action.pk}/complete" not in page  # completed: nothing left to do


def test_sm3_invited_school_sees_but_cannot_agree_actions(
    meeting: Meeting, gateway_worker: User, school_dsl: User, school: Agency, gp_practice: Agency
) -> None:
    action = services.agree_meeting_action(
        gateway_worker, meeting_id=meeting.pk, description=WHAT, owner_agency=gp_practice,
        due_date=timezone.localdate() + dt.timedelta(days=3),
    )
    client = signed_in(school_dsl)
    page = client.get(f"/meetings/{meeting.pk}").content.decode()
    assert WHAT in page
    assert "Agree an action" not in page
    assert f"/actions/{action.pk}/complete" not in page  # the GP's action, not the school's
    refused = client.post(f"/meetings/{meeting.pk}/actions", _form(school))
    assert refused.status_code == 404
    refused = client.post(f"/meetings/{meeting.pk}/actions", _form(school, owner="nobody"))
    assert refused.status_code == 404
    assert AgreedAction.objects.count() == 1


def test_pc1_each_decision_shows_its_challenges_and_the_link_to_challenge_it(
    meeting: Meeting, gateway_worker: User, school_dsl: User
) -> None:
    from tarian.challenges.services import raise_challenge

    first = services.record_meeting_decision(
        gateway_worker, meeting_id=meeting.pk, list_name="strategy_decisions",
        code="section_47", rationale=RATIONALE)
    services.record_meeting_decision(
        gateway_worker, meeting_id=meeting.pk, list_name="strategy_decisions",
        code="section_47", rationale=RATIONALE + " Again.")
    raise_challenge(school_dsl, about_kind="meeting_decision", about_id=str(first.pk),
                    reason="The school's record of three bruises this term was not shared "
                    "before the decision, and the child says she is hit at home.")
    page = signed_in(school_dsl).get(f"/meetings/{meeting.pk}").content.decode()
    assert f'id="challenges-meeting_decision-{first.pk}"' in page
    assert page.count("Challenge this decision") == 2
    assert page.count("No one has challenged this decision.") == 1


def test_sm3_agreeing_an_action_checks_its_due_date_against_the_day_given(
    meeting: Meeting, gateway_worker: User, school: Agency
) -> None:
    """``today`` (the London date when not given) is the day the due date is checked against:
    an action agreed on a past day may be due that day, and one due before it is refused."""
    agreed_on = timezone.localdate() - dt.timedelta(days=10)
    action = services.agree_meeting_action(
        gateway_worker, meeting_id=meeting.pk, description=WHAT, owner_agency=school,
        due_date=agreed_on, today=agreed_on,
    )
    assert action.due_date == agreed_on
    with pytest.raises(Refused) as refused:
        services.agree_meeting_action(
            gateway_worker, meeting_id=meeting.pk, description=WHAT, owner_agency=school,
            due_date=agreed_on - dt.timedelta(days=1), today=agreed_on,
        )
    assert refused.value.errors == {"due_date": ["The due date must be today or in the future"]}
    with pytest.raises(Refused):  # not given: the real London date
        services.agree_meeting_action(
            gateway_worker, meeting_id=meeting.pk, description=WHAT, owner_agency=school,
            due_date=agreed_on,
        )
    assert AgreedAction.objects.count() == 1
