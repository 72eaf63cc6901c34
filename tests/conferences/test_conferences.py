"""CP1: the initial child protection conference, requested from the enquiries' outcome, its due
time, the reports asked of each agency and chased, the quorum, advocacy and the child's voice
(VC1), the outcome per child and its circulation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tarian.agencies.models import Agency, User
from tarian.conferences import services
from tarian.conferences.models import Conference, ConferenceOutcome, ReportRequest
from tarian.deadlines.models import Deadline
from tarian.errors import Forbidden, Refused
from tarian.meetings import services as meetings
from tarian.notifications.models import Notification
from tarian.operations.tick import run_tick
from tests.conferences.conftest import HELD, REGISTER

pytestmark = pytest.mark.django_db


def test_cp1_conference_requested_from_the_enquiries_outcome_due_across_a_bank_holiday(
    conference: Conference, chair: User
) -> None:
    meeting = conference.meeting
    assert meeting.kind == "initial_conference"
    assert meeting.chair == chair
    assert conference.clock_started_at == HELD
    # 15 working days from Friday 20 August 2027 skip the bank holiday of 30 August.
    assert timezone.localdate(conference.due_at) == dt.date(2027, 9, 13)
    row = Deadline.objects.get(subject_kind="meeting", subject_id=str(meeting.pk),
                               timescale="icpc", person=meeting.children.first())
    assert row.due_at == conference.due_at
    assert conference.quorum == 3


def test_cp1_reports_requested_from_every_invited_agency_gp_included(
    conference: Conference, gp_practice: Agency, school: Agency, police: Agency,
    childrens_services: Agency,
) -> None:
    agencies = set(conference.report_requests.values_list("agency__slug", flat=True))
    assert {gp_practice.slug, school.slug, police.slug} <= agencies
    for request in conference.report_requests.all():
        clock = Deadline.objects.get(subject_kind="conference_report",
                                     subject_id=str(request.pk))
        assert clock.due_at == request.due_at
        # Two working days before the conference's due day at the latest (9 September 2027).
        assert timezone.localdate(request.due_at) <= dt.date(2027, 9, 9)


def test_cp1_late_report_is_chased_once_by_tick(
    conference: Conference, gp: User, school_dsl: User
) -> None:
    services.submit_report(school_dsl, conference_id=conference.pk,
                           text="Attendance 82%; Gwenllian is quiet after weekends.",
                           now=HELD + dt.timedelta(days=4))
    late = HELD + dt.timedelta(days=30)
    run_tick(late)
    gp_request = ReportRequest.objects.get(conference=conference, agency=gp.agency)
    assert gp_request.chased_at == late
    school_request = ReportRequest.objects.get(conference=conference, agency=school_dsl.agency)
    assert school_request.chased_at is None and school_request.status == "received"
    chased = Notification.objects.filter(recipient=gp, link__endswith="/reports")
    assert chased.count() == 1
    run_tick(late + dt.timedelta(hours=1))
    assert chased.count() == 1


def test_cp1_held_below_quorum_is_refused_unless_the_chair_says_why(
    conference: Conference, chair: User, school: Agency
) -> None:
    held = HELD + dt.timedelta(days=10)
    with pytest.raises(Refused) as refused:
        services.record_conference_held(chair, conference_id=conference.pk, held_at=held,
                                        attended=[school], now=held)
    assert "attended" in refused.value.errors
    assert "3" in refused.value.errors["attended"][0]
    assert "inquorate_reason" in refused.value.errors
    services.record_conference_held(
        chair, conference_id=conference.pk, held_at=held, attended=[school], now=held,
        inquorate_reason="The police could not attend because of a major incident; they sent "
        "their report and agreed the decisions by telephone.",
    )
    conference.refresh_from_db()
    assert conference.meeting.status == "held"
    assert conference.inquorate_reason.startswith("The police")


def test_cp1_only_the_chair_gives_the_inquorate_reason(
    conference: Conference, social_worker: User
) -> None:
    held = HELD + dt.timedelta(days=10)
    with pytest.raises(Refused) as refused:
        services.record_conference_held(social_worker, conference_id=conference.pk,
                                        held_at=held, now=held, inquorate_reason="Busy")
    assert "inquorate_reason" in refused.value.errors


def test_cp1_vc1_advocacy_offer_and_the_childs_voice_recorded(
    conference: Conference, chair: User
) -> None:
    child = conference.meeting.children.order_by("pk").first()
    assert child is not None
    with pytest.raises(Refused) as refused:
        services.record_child(chair, conference_id=conference.pk, child=child.ref,
                              advocacy_answer="accepted")
    assert "advocacy_offered_at" in refused.value.errors
    offered = HELD + dt.timedelta(days=4)
    row = services.record_child(
        chair, conference_id=conference.pk, child=child.ref, advocacy_offered_at=offered,
        advocacy_answer="accepted", advocate="Tros Gynnal Plant: Sioned Huws",
        voice="'I want Nain at the meeting.'", voice_method="advocate", language="cy",
        now=offered,
    )
    assert row.advocacy_answer == "accepted" and row.advocate.startswith("Tros")
    parent = services.record_parent(chair, conference_id=conference.pk, name="Mari Prydderch",
                                    relationship="Mother", attended=True,
                                    support_offered="Welsh-speaking advocate and a pre-meeting")
    assert parent.attended


# Friday 3 September 2027, 10:00: the conference is held, quorate.
CONFERENCE_HELD = HELD + dt.timedelta(days=14)


def _held(conference: Conference, chair: User, attended: list[Agency]) -> dt.datetime:
    services.record_conference_held(chair, conference_id=conference.pk,
                                    held_at=CONFERENCE_HELD, attended=attended,
                                    now=CONFERENCE_HELD + dt.timedelta(hours=2))
    return CONFERENCE_HELD


def test_cp1_outcome_refused_without_category_key_worker_or_rationale(
    conference: Conference, chair: User, school: Agency, police: Agency
) -> None:
    _held(conference, chair, [school, police])
    child = conference.meeting.children.order_by("pk").first()
    assert child is not None
    with pytest.raises(Refused) as refused:
        services.record_outcome(chair, conference_id=conference.pk, child=child.ref,
                                register=True, rationale="NFA")
    assert {"category", "key_worker", "rationale"} <= set(refused.value.errors)
    with pytest.raises(Refused) as refused:
        services.record_outcome(chair, conference_id=conference.pk, child=child.ref,
                                register=False, rationale="")
    assert "rationale" in refused.value.errors
    assert not ConferenceOutcome.objects.exists()


def test_cp1_only_the_chair_records_the_outcome(
    conference: Conference, chair: User, social_worker: User, school: Agency, police: Agency
) -> None:
    _held(conference, chair, [school, police])
    child = conference.meeting.children.order_by("pk").first()
    assert child is not None
    with pytest.raises(Forbidden):
        services.record_outcome(social_worker, conference_id=conference.pk, child=child.ref,
                                register=False, rationale=REGISTER)


def test_cp1_outcome_circulated_within_the_working_day_and_dissent_kept(
    conference: Conference, chair: User, social_worker: User, school: Agency, police: Agency,
    school_dsl: User,
) -> None:
    _held(conference, chair, [school, police])
    child = conference.meeting.children.order_by("pk").first()
    assert child is not None
    outcome = services.record_outcome(
        chair, conference_id=conference.pk, child=child.ref, register=True,
        category="physical", key_worker=social_worker.username, rationale=REGISTER,
        now=CONFERENCE_HELD + dt.timedelta(hours=2),
    )
    assert outcome.decision.code == "register"
    dissent = meetings.record_dissent(
        school_dsl, meeting_id=conference.pk, decision_id=outcome.decision_id,
        reason="The school sees neglect as the main concern, not physical abuse.",
    )
    assert dissent.decision == outcome.decision
    meetings.circulate_decisions(chair, meeting_id=conference.pk,
                                 now=CONFERENCE_HELD + dt.timedelta(hours=4))
    clock = Deadline.objects.filter(subject_kind="meeting", subject_id=str(conference.pk),
                                    timescale="decisions_circulation").first()
    assert clock is not None and clock.met_at is not None and clock.met_at <= clock.due_at
    assert Notification.objects.filter(recipient=school_dsl,
                                       link=f"/meetings/{conference.pk}").exists()
    plan = Deadline.objects.filter(subject_kind="conference", subject_id=str(conference.pk),
                                   timescale="outline_plan")
    assert plan.exists() and plan.first().met_at is None  # type: ignore[union-attr]


def test_cp1_api_create_read_report_and_outcome(
    meeting, gateway_worker: User, social_worker: User, chair: User, school_dsl: User,
    other_school_dsl: User, school: Agency, police: Agency,
) -> None:
    from tests.conferences.conftest import api

    meetings.record_held(gateway_worker, meeting_id=meeting.pk,
                         held_at=timezone.now() - dt.timedelta(hours=1))
    created = api(social_worker).post("/api/v1/conferences", {
        "strategy_meeting": meeting.pk, "kind": "initial", "chair": chair.username,
    }, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["due_at"] and body["proposed_invitees"]
    assert {row["agency"] for row in body["report_requests"]} >= {school.slug, police.slug}
    url = f"/api/v1/conferences/{body['id']}"
    assert api(school_dsl).get(url).status_code == 200
    assert api(other_school_dsl).get(url).status_code == 404
    sent = api(school_dsl).post(f"{url}/reports", {"text": "Attendance 82%."},
                                content_type="application/json")
    assert sent.status_code == 201, sent.content
    mine = next(r for r in sent.json()["report_requests"] if r["agency"] == school.slug)
    assert mine["status"] == "received" and mine["received_at"]
    refused = api(chair).post(f"{url}/held", {
        "held_at": timezone.now().isoformat(), "attended": [],
    }, content_type="application/json")
    assert refused.status_code == 400 and "attended" in refused.json()["errors"]
    held = api(chair).post(f"{url}/held", {
        "held_at": timezone.now().isoformat(), "attended": [school.slug, police.slug],
    }, content_type="application/json")
    assert held.status_code == 200, held.content
    child = meeting.children.order_by("pk").first()
    bad = api(chair).post(f"{url}/outcome", {"child": child.ref, "register": True,
                                             "rationale": REGISTER},
                          content_type="application/json")
    assert bad.status_code == 400
    assert {"category", "key_worker"} <= set(bad.json()["errors"])
    ok = api(chair).post(f"{url}/outcome", {
        "child": child.ref, "register": True, "category": "physical",
        "key_worker": social_worker.username, "rationale": REGISTER,
    }, content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["outcomes"][0]["category"] == "physical"


def test_cp1_pages_reports_and_outcome_for_the_chair(
    conference: Conference, chair: User, school_dsl: User, other_school_dsl: User,
    client,
) -> None:
    client.force_login(school_dsl)
    page = client.get(f"/conferences/{conference.pk}/reports")
    assert page.status_code == 200
    assert "Send your agency" in page.content.decode()
    assert client.get(f"/meetings/{conference.pk}").status_code == 200
    assert client.get(f"/conferences/{conference.pk}/outcome").status_code == 404
    client.force_login(other_school_dsl)
    assert client.get(f"/conferences/{conference.pk}/reports").status_code == 404
    client.force_login(chair)
    assert client.get(f"/conferences/{conference.pk}/outcome").status_code == 200


def test_vc2_the_report_requests_page_in_welsh(
    conference: Conference, school_dsl: User, client, settings
) -> None:
    client.force_login(school_dsl)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(f"/conferences/{conference.pk}/reports").content.decode()
    assert "Adroddiadau i&#x27;r gynhadledd" in page or "Adroddiadau i'r gynhadledd" in page
    assert "Anfon adroddiad eich asiantaeth" in page
