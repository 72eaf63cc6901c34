"""SM3 on the web: the page that closes an action with its outcome, and "Your agreed actions"
on the home page (readable on a phone: a stacked table, each cell named)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tarian.actions.models import ActionStatus, AgreedAction
from tarian.actions.services import agree_action
from tarian.agencies.models import Agency, User
from tests.actions.conftest import KIND, Meeting
from tests.clients import signed_in

pytestmark = pytest.mark.django_db
SECRET = "Ask the GP about the missed appointments"


def _agree(user: User, agency: Agency, *, owner: User | None = None, days: int = 7,
           description: str = SECRET) -> AgreedAction:
    today = timezone.localdate()
    action = agree_action(
        user, subject_kind=KIND, subject_id="1", description=description,
        owner_agency=agency, owner=owner, due_date=today, today=today,
    )
    # Due dates in the past are refused when agreeing; move it as time would.
    AgreedAction.objects.filter(pk=action.pk).update(due_date=today + dt.timedelta(days=days))
    action.refresh_from_db()
    return action


def test_sm3_page_shows_the_action_and_completes_it_back_to_its_subject(
    meetings: Meeting, social_worker: User, school: Agency, school_dsl: User
) -> None:
    meetings.chairs["1"] = social_worker
    action = _agree(social_worker, school, owner=school_dsl)
    client = signed_in(school_dsl)
    page = client.get(f"/actions/{action.pk}/complete")
    assert page.status_code == 200
    html = page.content.decode()
    assert SECRET in html and "Test meeting 1" in html and 'name="outcome"' in html
    done = client.post(f"/actions/{action.pk}/complete",
                       {"outcome": "Asked on 17 November.", "version": 1})
    assert done.status_code == 302 and done["Location"] == "/test-meetings/1"
    action.refresh_from_db()
    assert (action.status, action.outcome) == (ActionStatus.COMPLETED, "Asked on 17 November.")
    home = client.get("/")  # the test kind's link is no real page: the message waits here
    assert "The action is completed and its outcome recorded." in home.content.decode()


def test_sm3_page_blank_outcome_is_named_in_the_error_summary_and_typing_kept(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = _agree(social_worker, school)
    response = signed_in(school_dsl).post(
        f"/actions/{action.pk}/complete", {"outcome": "   ", "version": 1}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_outcome"' in html
    assert "Enter the outcome: what was done, or why it was not" in html
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_sm3_page_a_stale_version_keeps_what_was_typed(
    social_worker: User, school: Agency, school_dsl: User
) -> None:
    action = _agree(social_worker, school)
    AgreedAction.objects.filter(pk=action.pk).update(version=2)
    client = signed_in(school_dsl)
    response = client.post(f"/actions/{action.pk}/complete",
                           {"outcome": "Sent the record.", "version": 1})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else changed this action" in html and "Sent the record." in html
    assert 'value="2"' in html  # sent again, it applies to the action as it is now
    again = client.post(f"/actions/{action.pk}/complete",
                        {"outcome": "Sent the record.", "version": 2})
    assert again.status_code == 302 and again["Location"] == "/"


def test_sm3_page_another_agency_gets_404_without_the_action(
    social_worker: User, school: Agency, other_school_dsl: User
) -> None:
    action = _agree(social_worker, school)
    client = signed_in(other_school_dsl)
    for response in (
        client.get(f"/actions/{action.pk}/complete"),
        client.post(f"/actions/{action.pk}/complete", {"outcome": "Done.", "version": 1}),
    ):
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_sm3_page_an_invited_agency_reads_it_without_the_form(
    meetings: Meeting, social_worker: User, school: Agency, other_school_dsl: User
) -> None:
    meetings.chairs["1"] = social_worker
    assert other_school_dsl.agency_id is not None
    meetings.invited["1"] = {other_school_dsl.agency_id}
    action = _agree(social_worker, school)
    page = signed_in(other_school_dsl).get(f"/actions/{action.pk}/complete")
    assert page.status_code == 200
    html = page.content.decode()
    assert SECRET in html and 'name="outcome"' not in html


def test_sm3_home_lists_your_agreed_actions_with_overdue_flagged(
    meetings: Meeting, social_worker: User, school: Agency, school_dsl: User,
    other_school_dsl: User,
) -> None:
    meetings.chairs["1"] = social_worker
    overdue = _agree(social_worker, school, owner=school_dsl, days=-2,
                     description="Send the attendance record")
    _agree(social_worker, school, days=4)
    html = signed_in(school_dsl).get("/").content.decode()
    section = html[html.index('id="your-agreed-actions"'):]
    assert "Send the attendance record" in section and SECRET in section
    assert '<a class="govuk-link" href="/test-meetings/1">Test meeting 1</a>' in section
    assert section.count("govuk-tag--red") == 1
    assert f'href="/actions/{overdue.pk}/complete"' in section
    assert 'class="govuk-table tarian-actions tarian-table-stacked"' in section
    assert 'data-label="Due"' in section
    other = signed_in(other_school_dsl).get("/").content.decode()
    assert SECRET not in other and "Send the attendance record" not in other
    assert "You have no open agreed actions." in other


def test_sm3_home_in_welsh(social_worker: User, school: Agency, school_dsl: User) -> None:
    _agree(social_worker, school, owner=school_dsl, days=-1)
    html = signed_in(school_dsl, "cy").get("/").content.decode()
    assert "Eich camau gweithredu y cytunwyd arnynt" in html
