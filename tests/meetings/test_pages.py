"""Issue 21 (SM1, SM2, SM4 to SM6): a meeting's pages. What each reader sees (an invited school
not the police-only information; an agency not invited nothing at all), the forms each may use,
refusals on their field with the text kept, stale minutes, the chair's approval, the PDF, the
list, convening from a referral, and the page in Welsh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tarian.agencies.models import Agency, User
from tarian.meetings import services
from tarian.meetings.models import (
    Audience,
    Dissent,
    InvitationStatus,
    Meeting,
    MeetingDecision,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from tarian.people.models import Person
from tarian.referrals.models import Referral
from tests.clients import signed_in

pytestmark = pytest.mark.django_db

RATIONALE = ("Bruising seen twice and the child says she is hungry at home: joint enquiries "
             "with the police are needed to understand what is happening.")
POLICE_ONLY = "Intelligence: an adult at the address has a caution for assault."


def _page(user: User, meeting: Meeting, language: str = "en") -> str:
    response = signed_in(user, language).get(f"/meetings/{meeting.pk}")
    assert response.status_code == 200
    return response.content.decode()


def _held(meeting: Meeting, chair: User) -> None:
    services.record_held(chair, meeting_id=meeting.pk,
                         held_at=timezone.now() - dt.timedelta(hours=1))


def test_sm1_school_sees_the_meeting_it_was_invited_to_not_police_only_information(
    meeting: Meeting, school_dsl: User, cru_officer: User, gateway_worker: User
) -> None:
    services.share_information(cru_officer, meeting_id=meeting.pk, text=POLICE_ONLY,
                               audience=Audience.STATUTORY)
    services.share_information(cru_officer, meeting_id=meeting.pk, text="Two call-outs in May.")
    page = _page(school_dsl, meeting)
    assert meeting.reference in page
    assert "Two call-outs in May." in page
    assert POLICE_ONLY not in page
    assert "1 piece of information is shared with the statutory agencies only" in page
    assert 'id="invitations"' in page and "Meddygfa Aberwen" in page
    # Children's services read it, marked as shared with the statutory agencies only.
    social = _page(gateway_worker, meeting)
    assert POLICE_ONLY in social
    assert "Shared with children's services and the police only" in social


def test_sm1_uninvited_agency_gets_404_with_nothing_of_the_meeting(
    meeting: Meeting, other_school_dsl: User, housing_officer: User
) -> None:
    for user in (other_school_dsl, housing_officer):
        client = signed_in(user)
        for path in (f"/meetings/{meeting.pk}", f"/meetings/{meeting.pk}/minutes.pdf"):
            response = client.get(path)
            assert response.status_code == 404
            assert meeting.reference.encode() not in response.content
        response = client.post(f"/meetings/{meeting.pk}/dissents",
                               {"dissent-reason": "We were not asked"})
        assert response.status_code == 404
        listed = client.get("/meetings")
        assert meeting.reference.encode() not in listed.content
    assert not Dissent.objects.exists()


def test_sm1_a_left_out_agency_keeps_its_reason_and_then_sees_nothing(
    meeting: Meeting, gateway_worker: User, gp: User, gp_practice: Agency
) -> None:
    client = signed_in(gateway_worker)
    refused = client.post(f"/meetings/{meeting.pk}/exclusions",
                          {"exclude-agency": gp_practice.pk, "exclude-reason": " "})
    assert refused.status_code == 400
    assert "Say why this agency is not invited" in refused.content.decode()
    done = client.post(f"/meetings/{meeting.pk}/exclusions",
                       {"exclude-agency": gp_practice.pk,
                        "exclude-reason": "The GP saw the child once, two years ago"})
    assert done.status_code == 302
    assert "The GP saw the child once, two years ago" in _page(gateway_worker, meeting)
    assert signed_in(gp).get(f"/meetings/{meeting.pk}").status_code == 404


def test_sm1_decline_needs_a_reason_and_keeps_what_was_typed(
    meeting: Meeting, school_dsl: User
) -> None:
    client = signed_in(school_dsl)
    url = f"/meetings/{meeting.pk}/answer"
    refused = client.post(url, {"answer-status": "declined", "answer-reason": "",
                                "answer-information": "Attendance 81 % this term"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "There is a problem" in text and "Say why your agency cannot attend" in text
    assert "Attendance 81 % this term</textarea>" in text
    done = client.post(url, {"answer-status": "declined",
                             "answer-reason": "The DSL is on a course that day"})
    assert done.status_code == 302
    invitation = meeting.invitations.get(agency=school_dsl.agency)
    assert invitation.status == InvitationStatus.DECLINED
    assert "The DSL is on a course that day" in _page(school_dsl, meeting)


def test_sm2_bare_nfa_rationale_refused_and_text_kept(
    meeting: Meeting, gateway_worker: User
) -> None:
    response = signed_in(gateway_worker).post(
        f"/meetings/{meeting.pk}/decisions",
        {"decision-decision": "no_further_action", "decision-rationale": "NFA"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text and 'href="#id_decision-rationale"' in text
    assert ">NFA</textarea>" in text
    assert 'value="no_further_action" checked' in text
    assert not MeetingDecision.objects.exists()


def test_sm2_decision_recorded_with_rationale_and_sent_to_every_invited_agency(
    meeting: Meeting, gateway_worker: User, gp: User
) -> None:
    client = signed_in(gateway_worker)
    response = client.post(f"/meetings/{meeting.pk}/decisions",
                           {"decision-decision": "section_47", "decision-rationale": RATIONALE})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/meetings/{meeting.pk}")
    sent = client.post(f"/meetings/{meeting.pk}/decisions/circulate")
    assert sent.status_code == 302
    page = _page(gp, meeting)
    assert "Start Section 47 enquiries" in page and RATIONALE in page
    assert "Sent to every invited agency on" in page


def test_sm2_dissent_recorded_and_shown_to_every_invited_agency(
    meeting: Meeting, gateway_worker: User, school_dsl: User, gp: User, cru_officer: User
) -> None:
    decision = services.record_meeting_decision(
        gateway_worker, meeting_id=meeting.pk, list_name="strategy_decisions",
        code="section_47", rationale=RATIONALE,
    )
    response = signed_in(school_dsl).post(f"/meetings/{meeting.pk}/dissents", {
        "dissent-decision": decision.pk, "dissent-what": "The enquiry type",
        "dissent-reason": "The school believes a joint visit is needed today, not next week",
    })
    assert response.status_code == 302
    for reader in (gateway_worker, gp, cru_officer, school_dsl):
        page = _page(reader, meeting)
        assert "The school believes a joint visit is needed today, not next week" in page
        assert "tarian-dissent" in page and "The enquiry type" in page


def test_sm2_held_with_attendance_and_risk_analysis(
    meeting: Meeting, gateway_worker: User, school: Agency
) -> None:
    now = timezone.localtime(timezone.now() - dt.timedelta(hours=2))
    response = signed_in(gateway_worker).post(f"/meetings/{meeting.pk}/held", {
        "held-day": now.day, "held-month": now.month, "held-year": now.year,
        "held-hour": now.hour, "held-minute": now.minute, "held-attended": [school.pk],
        "held-risk_analysis": "Risk at home from an adult with a caution for assault.",
    })
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.invitations.get(agency=school).status == InvitationStatus.ATTENDED
    bad = signed_in(gateway_worker).post(f"/meetings/{meeting.pk}/held", {"held-day": "31"})
    assert bad.status_code == 400


def test_sm4_stale_minutes_version_keeps_the_typed_text(
    meeting: Meeting, gateway_worker: User, team_manager: User
) -> None:
    first = services.save_minutes(gateway_worker, meeting_id=meeting.pk, text="First draft")
    services.save_minutes(team_manager, meeting_id=meeting.pk, text="The manager's draft",
                          version=first.version)
    response = signed_in(gateway_worker).post(f"/meetings/{meeting.pk}/minutes", {
        "minutes-text": "What I typed about the meeting", "minutes-language": "en",
        "minutes-version": first.version,
    })
    assert response.status_code == 400
    text = response.content.decode()
    assert "Someone else changed these minutes" in text
    assert "What I typed about the meeting</textarea>" in text
    assert "The manager&#x27;s draft" in text
    assert Minutes.objects.get(meeting=meeting).text == "The manager's draft"


def test_sm4_minutes_autosave_says_when_and_gives_the_new_version(
    meeting: Meeting, gateway_worker: User
) -> None:
    client = signed_in(gateway_worker)
    url = f"/meetings/{meeting.pk}/minutes/autosave"
    saved = client.post(url, {"minutes-text": "Present: school, GP, police",
                              "minutes-language": "en", "minutes-version": ""})
    assert saved.status_code == 200
    assert "Saved at" in saved.content.decode()
    version = Minutes.objects.get(meeting=meeting).version
    assert f'value="{version}" hx-swap-oob="true"' in saved.content.decode()
    stale = client.post(url, {"minutes-text": "Mine", "minutes-language": "en",
                              "minutes-version": version - 1 or 99})
    assert "Someone else changed these minutes" in stale.content.decode()


def test_sm4_only_the_chair_approves_minutes(
    meeting: Meeting, gateway_worker: User, team_manager: User
) -> None:
    _held(meeting, gateway_worker)
    services.save_minutes(gateway_worker, meeting_id=meeting.pk, text="Agreed: Section 47.")
    assert "Approve the minutes" not in _page(team_manager, meeting)
    refused = signed_in(team_manager).post(f"/meetings/{meeting.pk}/minutes/approve")
    assert refused.status_code == 404
    assert Minutes.objects.get(meeting=meeting).status == MinutesStatus.DRAFTED
    assert "Approve the minutes" in _page(gateway_worker, meeting)
    approved = signed_in(gateway_worker).post(f"/meetings/{meeting.pk}/minutes/approve")
    assert approved.status_code == 302
    assert Minutes.objects.get(meeting=meeting).status == MinutesStatus.APPROVED


def test_sm4_minutes_pdf_is_a_pdf_with_the_meeting(
    meeting: Meeting, gateway_worker: User, school_dsl: User
) -> None:
    services.record_meeting_decision(
        gateway_worker, meeting_id=meeting.pk, list_name="strategy_decisions",
        code="section_47", rationale=RATIONALE,
    )
    services.save_minutes(gateway_worker, meeting_id=meeting.pk, text="Gwelwyd y plentyn.")
    for reader, language in ((gateway_worker, "en"), (school_dsl, "cy")):
        response = signed_in(reader, language).get(f"/meetings/{meeting.pk}/minutes.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert len(response.content) > 2000


def test_sm6_chair_role_and_seniority_shown_and_cancel_needs_a_reason(
    meeting: Meeting, gateway_worker: User
) -> None:
    assert 'id="chair"' in _page(gateway_worker, meeting)
    client = signed_in(gateway_worker)
    assert client.post(f"/meetings/{meeting.pk}/cancel", {"cancel-reason": ""}).status_code == 400
    done = client.post(f"/meetings/{meeting.pk}/cancel", {"cancel-reason": "Family moved away"})
    assert done.status_code == 302
    assert "Family moved away" in _page(gateway_worker, meeting)


def test_meetings_list_shows_the_meeting_and_names_only_children_the_reader_may_open(
    meeting: Meeting, school_dsl: User, child: Person
) -> None:
    hidden = Person.objects.create(given_name="Cudd", family_name="Arall", kind="child")
    meeting.children.add(hidden)
    response = signed_in(school_dsl).get("/meetings")
    text = response.content.decode()
    assert response.status_code == 200
    assert meeting.reference in text and child.full_name in text
    assert "Cudd" not in text
    assert "1 child whose record you cannot open" in text
    assert 'href="/meetings"' in text  # the header's navigation
    page = _page(school_dsl, meeting)
    assert "Cudd" not in page and "and 1 child whose record you cannot open" in page


def test_sm1_convening_page_leads_to_the_meeting_the_referral_opened(
    meeting: Meeting, referral: Referral, gateway_worker: User
) -> None:
    client = signed_in(gateway_worker)
    response = client.get(f"/strategy-meetings/new?referral={referral.ref}")
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}"
    page = client.get(f"/referrals/{referral.ref}").content.decode()
    assert 'id="strategy-discussion"' in page and f"/meetings/{meeting.pk}" in page


def test_sm1_children_services_convene_a_strategy_meeting_for_a_child(
    child: Person, team_manager: User, police: Agency, school_dsl: User
) -> None:
    client = signed_in(team_manager)
    assert client.get("/strategy-meetings/new").status_code == 200
    refused = client.post("/strategy-meetings/new", {"kind": "meeting", "children": "T0000000"})
    assert refused.status_code == 400
    assert "No child with the Tarian ID" in refused.content.decode()
    response = client.post("/strategy-meetings/new", {
        "kind": "meeting", "children": child.ref, "chair_role": "Team manager",
        "chair_seniority": "Service manager",
    })
    assert response.status_code == 302
    created = Meeting.objects.get(children=child)
    assert created.kind == "strategy_meeting" and created.chair_seniority == "Service manager"
    assert signed_in(school_dsl).get("/strategy-meetings/new").status_code == 404


def test_vc2_meeting_page_in_welsh(meeting: Meeting, school_dsl: User) -> None:
    page = _page(school_dsl, meeting, "cy")
    assert 'lang="cy"' in page
    assert "Trafodaeth strategaeth" in page
    for words in ("Gwahoddiadau", "Anghytundebau", "Cofnodion", "Cadeirydd"):
        assert words in page, words
