"""Issue 21 (SM2, SM4, SM5, SM6): a meeting's decisions with rationale, dissents kept and shown,
minutes approved only by the chair, and circulation to every invited agency with receipts; the
minutes' clock counts working days across bank holidays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tarian.agencies.models import Agency, User
from tarian.deadlines.models import Deadline
from tarian.meetings import services
from tarian.meetings.models import Meeting
from tests.meetings.conftest import api

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
RATIONALE = (
    "Bruising to the arm with a consistent account from the child that her father grabbed "
    "her: reasonable cause to suspect significant harm, so Section 47 enquiries start today."
)


def _post(user: User, url: str, body: dict | None = None) -> dict:
    response = api(user).post(url, body or {}, content_type="application/json")
    assert response.status_code in (200, 201), response.content
    return response.json()


def test_sm2_bare_nfa_rationale_is_refused_naming_the_field(
    meeting: Meeting, gateway_worker: User
) -> None:
    response = api(gateway_worker).post(
        f"/api/v1/strategy-meetings/{meeting.pk}/decisions",
        {"decision": "no_further_action", "rationale": "NFA"}, content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["rationale"]


def test_sm2_dissent_recorded_and_shown_to_every_invited_agency(
    meeting: Meeting, gateway_worker: User, school_dsl: User, gp: User
) -> None:
    url = f"/api/v1/strategy-meetings/{meeting.pk}"
    decided = _post(gateway_worker, f"{url}/decisions",
                    {"decision": "no_further_action", "rationale": RATIONALE})
    decision_id = decided["decisions"][0]["id"]
    response = api(school_dsl).post(f"{url}/dissents", {"reason": ""},
                                    content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    _post(school_dsl, f"{url}/dissents", {
        "reason": "She told her teacher she is frightened of going home; we disagree with NFA.",
        "decision": decision_id,
    })
    seen = api(gp).get(url).json()
    assert seen["dissents"][0]["agency"] == school_dsl.agency.slug  # type: ignore[union-attr]
    assert "frightened of going home" in seen["dissents"][0]["reason"]
    assert seen["dissents"][0]["decision"] == decision_id


def test_sm4_minutes_approved_by_the_chair_reach_every_invited_agency_with_receipts(
    meeting: Meeting, gateway_worker: User, team_manager: User, school_dsl: User,
    gp_practice: Agency, police: Agency, school: Agency,
) -> None:
    url = f"/api/v1/strategy-meetings/{meeting.pk}"
    _post(gateway_worker, f"{url}/exclusions",
          {"agency": gp_practice.slug, "reason": "The GP practice sent its records already."})
    _post(gateway_worker, f"{url}/held",
          {"held_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
           "attended": [school.slug, police.slug]})
    _post(gateway_worker, f"{url}/decisions", {"decision": "section_47", "rationale": RATIONALE})
    body = _post(gateway_worker, f"{url}/decisions/circulate")
    decisions_to = {row["agency"] for row in body["circulation"] if row["what"] == "decisions"}
    assert decisions_to == {school.slug, police.slug, gateway_worker.agency.slug}  # type: ignore[union-attr]
    minutes = _post(gateway_worker, f"{url}/minutes", {"text": "Present: school, police, CS."})
    # Someone else's stale copy is refused, never silently overwriting.
    stale = api(gateway_worker).post(f"{url}/minutes", {"text": "Old", "version": 0},
                                     content_type="application/json")
    assert stale.status_code == 409
    refused = api(team_manager).post(f"{url}/minutes/approve", {},
                                     content_type="application/json")
    assert refused.status_code == 403  # only the chair approves
    body = _post(gateway_worker, f"{url}/minutes/approve",
                 {"version": minutes["minutes"]["version"]})
    assert body["minutes"]["status"] == "approved"
    minutes_to = {row["agency"]: row for row in body["circulation"] if row["what"] == "minutes"}
    assert set(minutes_to) == {school.slug, police.slug, gateway_worker.agency.slug}  # type: ignore[union-attr]
    assert gp_practice.slug not in minutes_to  # left out, with its reason
    assert minutes_to[school.slug]["opened_at"] is None
    api(school_dsl).get(url)
    after = {row["agency"]: row for row in api(gateway_worker).get(url).json()["circulation"]
             if row["what"] == "minutes"}
    assert after[school.slug]["opened_at"] is not None
    assert after[police.slug]["opened_at"] is None
    met = Deadline.objects.filter(subject_kind="meeting", subject_id=str(meeting.pk),
                                  timescale="minutes_circulation")
    assert met.exists() and all(row.met_at is not None for row in met)


def test_sm4_minutes_due_five_working_days_after_across_christmas_bank_holidays(
    meeting: Meeting, gateway_worker: User
) -> None:
    held = dt.datetime(2026, 12, 24, 10, 0, tzinfo=LONDON)
    services.record_held(gateway_worker, meeting_id=meeting.pk, held_at=held,
                         now=held + dt.timedelta(hours=2))
    row = Deadline.objects.filter(subject_kind="meeting", subject_id=str(meeting.pk),
                                  timescale="minutes_circulation").first()
    assert row is not None
    # Fri 25 and Mon 28 December (Boxing Day's substitute) and Fri 1 January are bank
    # holidays: five working days run Tue 29, Wed 30, Thu 31, Mon 4, Tue 5 January.
    assert row.due_at.astimezone(LONDON).date() == dt.date(2027, 1, 5)
    decisions = Deadline.objects.get(subject_kind="meeting", subject_id=str(meeting.pk),
                                     timescale="decisions_circulation",
                                     person=row.person)
    assert decisions.due_at.astimezone(LONDON).date() == dt.date(2026, 12, 24)


def test_sm5_addendum_is_circulated_the_same_way(
    meeting: Meeting, gateway_worker: User, school: Agency
) -> None:
    body = _post(gateway_worker, f"/api/v1/strategy-meetings/{meeting.pk}/addenda", {
        "text": "Police and school agreed by phone that the school nurse sees her on Monday.",
        "agreed_on": timezone.localdate().isoformat(), "agreed_with": "Police, school",
    })
    assert body["addenda"][0]["agreed_with"] == "Police, school"
    assert school.slug in {row["agency"] for row in body["circulation"]
                           if row["what"] == "addendum"}


def test_sm4_late_circulation_is_visible_on_the_meeting(
    meeting: Meeting, gateway_worker: User
) -> None:
    held = timezone.now() - dt.timedelta(days=12)
    services.record_held(gateway_worker, meeting_id=meeting.pk, held_at=held)
    clocks = {c["timescale"]: c for c in
              api(gateway_worker).get(f"/api/v1/strategy-meetings/{meeting.pk}").json()["clocks"]}
    assert clocks["minutes_circulation"]["status"] == "overdue"
    assert clocks["decisions_circulation"]["status"] == "overdue"
    assert clocks["strategy_discussion"]["status"] in ("met", "met_late")


def test_sm4_late_circulation_shown_on_the_meeting_page_in_welsh(
    meeting: Meeting, gateway_worker: User
) -> None:
    from tests.clients import signed_in

    services.record_held(gateway_worker, meeting_id=meeting.pk,
                         held_at=timezone.now() - dt.timedelta(days=12))
    import html

    page = html.unescape(
        signed_in(gateway_worker, "cy").get(f"/meetings/{meeting.pk}").content.decode()
    )
    assert "Amserlenni" in page
    assert "govuk-tag--red" in page
    assert "Cofnodion cyfarfod wedi'u dosbarthu i bob asiantaeth a wahoddwyd" in page
