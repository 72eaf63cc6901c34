"""Probes for meetings (issue 21; SM1, SM2) and the enquiries read through them: a strategy
meeting about the target child, convened by another children's services agency, to which the
user's agency is invited (``involved``: the meaning of "involved" for meetings) or not."""

from __future__ import annotations

from tarian.agencies.models import Agency, AgencyType, User
from tarian.meetings import services
from tarian.meetings.models import Contribution, Dissent, Meeting
from tarian.meetings.reasons import typed_part
from tests.factories import AgencyFactory, UserFactory
from tests.security.conftest import World
from tests.security.probes import judge

SECRET = "Rhybudd cyfrinachol y cyfarfod"


def _chair() -> User:
    agency = Agency.objects.filter(slug="probe-childrens-services").first() or AgencyFactory(
        name="Gwasanaethau Plant Prawf", slug="probe-childrens-services",
        type=AgencyType.CHILDRENS_SERVICES,
    )
    chair = User.objects.filter(username="probe.chair").first()
    return chair or UserFactory(username="probe.chair", agency=agency, roles=["team_manager"])


def meeting_for(w: World, *, involved: bool) -> Meeting:
    chair = _chair()
    invited = w.agency if involved else w.other_agency
    meeting = services.convene_meeting(
        chair, kind="strategy_meeting", children=[w.involved],
        proposals=[services.Proposal(agency=invited, reasons=(typed_part("Probe"),))],
    )
    services.share_information(chair, meeting_id=meeting.pk, text=SECRET)
    return meeting


def api_meeting(w: World, involved: bool | None, scope: str) -> bool:
    meeting = meeting_for(w, involved=bool(involved))
    r = w.api.get(f"/api/v1/strategy-meetings/{meeting.pk}")
    ok = judge("GET /api/v1/strategy-meetings/{id}", r, yes={200}, no={404}, secret=SECRET)
    assert not ok or r.json()["id"] == meeting.pk
    return ok


def _posted(w: World, meeting: Meeting, path: str, body: dict[str, object]) -> bool:
    r = w.api.post(f"/api/v1/strategy-meetings/{meeting.pk}/{path}", body,
                   content_type="application/json")
    return judge(f"POST /api/v1/strategy-meetings/{{id}}/{path}", r, yes={200, 201},
                 no={403, 404}, secret=SECRET)


def api_dissent(w: World, involved: bool | None, scope: str) -> bool:
    meeting = meeting_for(w, involved=bool(involved))
    ok = _posted(w, meeting, "dissents", {"reason": "We disagree: the risk is higher."})
    assert ok == Dissent.objects.filter(meeting=meeting).exists(), "saved when denied"
    return ok


def api_share_information(w: World, involved: bool | None, scope: str) -> bool:
    meeting = meeting_for(w, involved=bool(involved))
    ok = _posted(w, meeting, "information", {"text": "Attendance is 81 % this term."})
    assert ok == (Contribution.objects.filter(meeting=meeting).count() == 2)
    return ok


ENQUIRY_REASONS = ("Bruising seen twice and an account from the child of being grabbed at "
                   "home: joint enquiries with the police are needed to keep the child safe.")


def _enquiry(w: World, involved: bool | None):  # type: ignore[no-untyped-def]
    from tarian.enquiries.services import start_enquiry

    meeting = meeting_for(w, involved=bool(involved))
    chair = _chair()
    services.record_meeting_decision(chair, meeting_id=meeting.pk, list_name="strategy_decisions",
                                     code="section_47", rationale=ENQUIRY_REASONS)
    return start_enquiry(chair, strategy_meeting_id=meeting.pk, type="joint",
                         rationale=ENQUIRY_REASONS)


def api_enquiry(w: World, involved: bool | None, scope: str) -> bool:
    """An enquiry is read by whoever may read the strategy meeting that started it."""
    enquiry = _enquiry(w, involved)
    reasons = ENQUIRY_REASONS
    r = w.api.get(f"/api/v1/enquiries/{enquiry.pk}")
    ok = judge("GET /api/v1/enquiries/{id}", r, yes={200}, no={404}, secret=reasons[:40])
    assert not ok or r.json()["id"] == enquiry.pk
    return ok


def web_enquiry(w: World, involved: bool | None, scope: str) -> bool:
    """The enquiry's page, read by whoever may read the strategy meeting that started it."""
    enquiry = _enquiry(w, involved)
    r = w.web.get(f"/enquiries/{enquiry.pk}")
    ok = judge("GET /enquiries/{pk}", r, yes={200}, no={404}, secret=ENQUIRY_REASONS[:40])
    assert not ok or enquiry.reference in r.content.decode()
    return ok


def web_meeting(w: World, involved: bool | None, scope: str) -> bool:
    meeting = meeting_for(w, involved=bool(involved))
    r = w.web.get(f"/meetings/{meeting.pk}")
    ok = judge("GET /meetings/{pk}", r, yes={200}, no={404}, secret=SECRET)
    assert not ok or meeting.reference in r.content.decode()
    return ok


def web_minutes_pdf(w: World, involved: bool | None, scope: str) -> bool:
    meeting = meeting_for(w, involved=bool(involved))
    r = w.web.get(f"/meetings/{meeting.pk}/minutes.pdf")
    ok = judge("GET /meetings/{pk}/minutes.pdf", r, yes={200}, no={404})
    assert not ok or bytes(r.content).startswith(b"%PDF")
    return ok


def web_meeting_list(w: World, involved: bool | None, scope: str) -> bool:
    meeting = meeting_for(w, involved=bool(involved))
    r = w.web.get("/meetings")
    if not judge("GET /meetings", r, yes={200}, no={404}, secret=meeting.reference):
        return False
    return f"/meetings/{meeting.pk}" in r.content.decode()


def _web_posted(w: World, meeting: Meeting, path: str, body: dict[str, str]) -> bool:
    r = w.web.post(f"/meetings/{meeting.pk}/{path}", body)
    return judge(f"POST /meetings/{{pk}}/{path}", r, yes={302}, no={404}, secret=SECRET)


def web_dissent(w: World, involved: bool | None, scope: str) -> bool:
    meeting = meeting_for(w, involved=bool(involved))
    ok = _web_posted(w, meeting, "dissents",
                     {"dissent-reason": "We disagree: the risk is higher."})
    assert ok == Dissent.objects.filter(meeting=meeting).exists(), "saved when denied"
    return ok


def web_share_information(w: World, involved: bool | None, scope: str) -> bool:
    meeting = meeting_for(w, involved=bool(involved))
    ok = _web_posted(w, meeting, "information",
                     {"share-text": "Attendance is 81 % this term.",
                      "share-audience": "invited"})
    assert ok == (Contribution.objects.filter(meeting=meeting).count() == 2)
    return ok
