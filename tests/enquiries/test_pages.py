"""Issue 21 (EQ1, EQ2, SM7, VC1): Section 47 enquiries' pages. Started from the strategy
meeting's page with the joint protocol's proposal shown; the enquiry's page with each child
seen (or not) and the conclusion; refusals on their field with the text kept; an agency not
invited to the meeting gets the 404 page; the page in Welsh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tarian.agencies.models import User
from tarian.enquiries import services
from tarian.enquiries.models import ChildSeen, Enquiry
from tarian.meetings.models import Meeting
from tarian.people.models import Person
from tests.clients import signed_in

pytestmark = pytest.mark.django_db

RATIONALE = (
    "The child describes being grabbed by her father and the bruising matches: joint enquiries "
    "with the police let her be interviewed once, by both agencies together."
)
ANALYSIS = (
    "Gwenllian was seen alone at school and repeated her account. Her father accepts he "
    "grabbed her; her grandmother protects her. The risk of significant harm continues."
)
UNSEEN = "Dafydd was in hospital; the ward sister saw him and shared his views by telephone."


def _start(user: User, meeting: Meeting) -> Enquiry:
    return services.start_enquiry(user, strategy_meeting_id=meeting.pk, type="joint",
                                  rationale=RATIONALE)


def test_eq1_start_from_the_meeting_page_shows_the_protocols_proposal(
    decided: Meeting, gateway_worker: User, child: Person
) -> None:
    client = signed_in(gateway_worker)
    meeting_page = client.get(f"/meetings/{decided.pk}").content.decode()
    assert 'id="enquiries"' in meeting_page
    assert f"/enquiries/new?meeting={decided.pk}" in meeting_page
    assert "Start Section 47 enquiries" in meeting_page
    form = client.get(f"/enquiries/new?meeting={decided.pk}")
    assert form.status_code == 200
    page = form.content.decode()
    # Each category's proposal is the hint beside it, and the proposal for none recorded.
    assert "Physical abuse: joint enquiries with the police" in page
    assert "Neglect: single-agency enquiries unless a crime may have been committed" in page
    assert "No category recorded: joint enquiries with the police" in page
    assert child.full_name in page
    # Choosing neglect and asking again: the type starts from the protocol's proposal.
    preview = client.post(f"/enquiries/new?meeting={decided.pk}", {
        "start-concern": "neglect", "start-children": [child.ref], "preview": "1",
    })
    assert preview.status_code == 200
    shown = preview.content.decode()
    assert 'value="single_agency" checked' in shown
    assert not Enquiry.objects.exists()
    started = client.post(f"/enquiries/new?meeting={decided.pk}", {
        "start-children": [child.ref], "start-concern": "physical", "start-type": "joint",
        "start-rationale": RATIONALE,
    })
    assert started.status_code == 302
    enquiry = Enquiry.objects.get()
    assert started["Location"] == f"/enquiries/{enquiry.pk}"
    assert [c.ref for c in enquiry.children.all()] == [child.ref]
    assert enquiry.proposed_type == "joint" and enquiry.concern == "physical"
    page = client.get(started["Location"]).content.decode()
    assert enquiry.reference in page and RATIONALE in page
    assert "Joint with the police" in page and 'id="seen-due"' in page
    assert f"/enquiries/{enquiry.pk}" in client.get(f"/meetings/{decided.pk}").content.decode()


def test_eq1_single_agency_against_the_protocol_is_refused_with_the_text_kept(
    decided: Meeting, gateway_worker: User, child: Person
) -> None:
    response = signed_in(gateway_worker).post(f"/enquiries/new?meeting={decided.pk}", {
        "start-children": [child.ref], "start-concern": "physical",
        "start-type": "single_agency", "start-rationale": "Family asked",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "joint" in page.lower()
    assert "Family asked" in page
    assert not Enquiry.objects.exists()


def test_eq1_school_sees_no_start_link_and_cannot_start(
    decided: Meeting, school_dsl: User, child: Person
) -> None:
    client = signed_in(school_dsl)
    page = client.get(f"/meetings/{decided.pk}").content.decode()
    assert "/enquiries/new" not in page
    assert client.get(f"/enquiries/new?meeting={decided.pk}").status_code == 404
    refused = client.post(f"/enquiries/new?meeting={decided.pk}", {
        "start-children": [child.ref], "start-type": "joint", "start-rationale": RATIONALE,
    })
    assert refused.status_code == 404
    assert not Enquiry.objects.exists()


def test_eq2_child_seen_with_views_on_the_page(
    decided: Meeting, gateway_worker: User, school_dsl: User, child: Person
) -> None:
    enquiry = _start(gateway_worker, decided)
    client = signed_in(gateway_worker)
    when = timezone.localtime(timezone.now() - dt.timedelta(hours=2))
    form = {"seen-child": child.ref, "seen-day": when.day, "seen-month": when.month,
            "seen-year": when.year, "seen-hour": when.hour, "seen-minute": when.minute,
            "seen-seen_alone": "yes", "seen-views": "", "seen-voice_method": "own_words",
            "seen-language": "cy"}
    refused = client.post(f"/enquiries/{enquiry.pk}/child-seen", form)
    assert refused.status_code == 400
    assert "Write the child&#x27;s views" in refused.content.decode()
    form["seen-views"] = "Dw i eisiau i Nain ddod."
    done = client.post(f"/enquiries/{enquiry.pk}/child-seen", form)
    assert done.status_code == 302
    seen = ChildSeen.objects.get()
    assert seen.seen_alone and seen.language == "cy" and seen.seen_by == gateway_worker
    # The invited school reads it, with no forms.
    page = signed_in(school_dsl).get(f"/enquiries/{enquiry.pk}").content.decode()
    assert "Dw i eisiau i Nain ddod." in page
    assert "Record that a child was seen" not in page and "Conclude the enquiries" not in page
    refused = signed_in(school_dsl).post(f"/enquiries/{enquiry.pk}/child-seen", form)
    assert refused.status_code == 404


def test_eq2_closing_without_analysis_is_refused_on_the_page_and_text_kept(
    decided: Meeting, gateway_worker: User
) -> None:
    enquiry = _start(gateway_worker, decided)
    typed = "Reason typed for Dafydd, kept."
    refs = [c.ref for c in enquiry.children.all()]
    response = signed_in(gateway_worker).post(f"/enquiries/{enquiry.pk}/conclude", {
        "conclude-outcome": "concerns_substantiated", "conclude-analysis": "",
        "conclude-version": enquiry.version,
        **{f"conclude-reason_{ref}": typed for ref in refs},
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="conclude-analysis-error"' in page or "id_conclude-analysis-error" in page
    assert typed in page
    assert Enquiry.objects.get().status == "open"


def test_eq2_child_not_seen_needs_a_reason_on_the_page(
    decided: Meeting, gateway_worker: User, child: Person
) -> None:
    enquiry = _start(gateway_worker, decided)
    services.record_child_seen(gateway_worker, enquiry_id=enquiry.pk, child=child.ref,
                               seen_at=timezone.now(), seen_alone=True, views="'I am hungry.'")
    enquiry.refresh_from_db()
    other = enquiry.children.exclude(pk=child.pk).get()
    client = signed_in(gateway_worker)
    page = client.get(f"/enquiries/{enquiry.pk}").content.decode()
    assert f"conclude-reason_{other.ref}" in page
    assert f"conclude-reason_{child.ref}" not in page  # seen: no reason asked
    body = {"conclude-outcome": "concerns_substantiated", "conclude-analysis": ANALYSIS,
            "conclude-version": enquiry.version}
    refused = client.post(f"/enquiries/{enquiry.pk}/conclude", body)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert f'id="id_conclude-reason_{other.ref}-error"' in text
    assert "was not seen during the enquiries" in text and ANALYSIS in text
    stale = client.post(f"/enquiries/{enquiry.pk}/conclude", {
        **body, "conclude-version": enquiry.version - 1, f"conclude-reason_{other.ref}": UNSEEN})
    assert stale.status_code == 400
    assert "Someone else changed these enquiries" in stale.content.decode()
    assert UNSEEN in stale.content.decode()
    done = client.post(f"/enquiries/{enquiry.pk}/conclude", {
        **body, f"conclude-reason_{other.ref}": UNSEEN, "conclude-request_conference": "on"})
    assert done.status_code == 302
    concluded = Enquiry.objects.get()
    assert concluded.status == "concluded" and concluded.conference_requested
    assert concluded.not_seen_reasons == {other.ref: UNSEEN}
    page = client.get(f"/enquiries/{enquiry.pk}").content.decode()
    assert ANALYSIS in page and UNSEEN in page
    assert 'id="review-meeting"' in page and f"/meetings/{concluded.review_meeting_id}" in page
    review = client.get(f"/meetings/{concluded.review_meeting_id}").content.decode()
    assert f'id="reviews-enquiry-{enquiry.pk}"' in review


def test_eq1_uninvited_agency_gets_404_for_the_enquiry_page(
    decided: Meeting, gateway_worker: User, other_school_dsl: User, housing_officer: User,
    child: Person,
) -> None:
    enquiry = _start(gateway_worker, decided)
    for user in (other_school_dsl, housing_officer):
        client = signed_in(user)
        response = client.get(f"/enquiries/{enquiry.pk}")
        assert response.status_code == 404
        text = response.content.decode()
        assert enquiry.reference not in text and RATIONALE[:40] not in text
        assert child.full_name not in text
        assert client.post(f"/enquiries/{enquiry.pk}/conclude", {
            "conclude-outcome": "concerns_not_substantiated", "conclude-analysis": ANALYSIS,
        }).status_code == 404
    assert signed_in(other_school_dsl).get("/enquiries/999999").status_code == 404
    assert Enquiry.objects.get().status == "open"


def test_vc2_enquiry_pages_in_welsh(decided: Meeting, gateway_worker: User) -> None:
    client = signed_in(gateway_worker, "cy")
    form = client.get(f"/enquiries/new?meeting={decided.pk}").content.decode()
    assert 'lang="cy"' in form
    assert "Dechrau ymholiadau Adran 47" in form
    assert "Cam-drin corfforol: ymholiadau ar y cyd â&#x27;r heddlu" in form
    enquiry = _start(gateway_worker, decided)
    page = client.get(f"/enquiries/{enquiry.pk}").content.decode()
    for words in ("Ymholiadau Adran 47", "Plant a welwyd", "Cofnodi bod plentyn wedi'i weld",
                  "Dadansoddiad o risg", "Ar y cyd â&#x27;r heddlu"):
        assert words.replace("'", "&#x27;") in page or words in page, words
