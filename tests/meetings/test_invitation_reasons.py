"""Issue 21 (SM1, VC2): why each agency is invited reads in the reader's language, whoever
convened the meeting and in whichever language: on the meeting's page and in the API. A reason
a person typed stays as typed, and an invitation kept before its reason's parts were shows its
text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tarian.agencies.models import Agency, User
from tarian.meetings import services
from tarian.meetings.models import Invitation, Meeting
from tarian.meetings.reasons import involvement_part, message_part, render
from tarian.referrals import services as referrals
from tarian.referrals.models import Referral
from tests.clients import signed_in
from tests.referrals.conftest import RATIONALE
from tests.strategy.conftest import api

pytestmark = pytest.mark.django_db

# The school is involved with both children of the referral.
SCHOOL_EN = ("School for Gwenllian Prydderch since September 2024; "
             "School for Dafydd Prydderch since September 2024")
SCHOOL_CY = "Ysgol i Gwenllian Prydderch ers Medi 2024; Ysgol i Dafydd Prydderch ers Medi 2024"
POLICE_EN = "The police: a strategy discussion is held with the police"
POLICE_CY = "Yr heddlu: cynhelir trafodaeth strategaeth gyda'r heddlu"


@pytest.fixture
def welsh_meeting(referral: Referral, gateway_worker: User, police: Agency) -> Meeting:
    """The strategy discussion opened by a Gateway worker who works in Welsh."""
    with translation.override("cy"):
        referrals.record_decision(
            gateway_worker, ref=referral.ref, outcome="strategy_discussion", rationale=RATIONALE
        )
    return Meeting.objects.get(origin_kind="referral", origin_id=referral.ref)


def _api_reasons(user: User, meeting: Meeting, language: str) -> dict[str, str]:
    client = api(user)
    body = client.get(f"/api/v1/strategy-meetings/{meeting.pk}",
                      headers={"accept-language": language}).json()
    proposed = {row["agency"]: row["reason"] for row in body["proposed_invitees"]}
    invitations = {row["agency"]: row["reason"] for row in body["invitations"]}
    assert {k: v for k, v in invitations.items() if k in proposed} == proposed
    return invitations


def test_sm1_convened_in_english_a_welsh_reader_reads_the_reasons_in_welsh(
    meeting: Meeting, school_dsl: User, school: Agency, police: Agency, referral: Referral
) -> None:
    stored = Invitation.objects.get(meeting=meeting, agency=school)
    assert stored.reason == SCHOOL_EN  # the convener's language, kept as the text
    page = signed_in(school_dsl, "cy").get(f"/meetings/{meeting.pk}").content.decode()
    assert SCHOOL_CY in page and POLICE_CY.replace("'", "&#x27;") in page
    assert SCHOOL_EN not in page and POLICE_EN not in page
    reasons = _api_reasons(school_dsl, meeting, "cy")
    assert reasons[school.slug] == SCHOOL_CY
    assert reasons[police.slug] == POLICE_CY
    english = _api_reasons(school_dsl, meeting, "en")
    assert english[school.slug] == SCHOOL_EN and english[police.slug] == POLICE_EN


def test_sm1_convened_in_welsh_an_english_reader_reads_the_reasons_in_english(
    welsh_meeting: Meeting, school_dsl: User, school: Agency, police: Agency,
    childrens_services: Agency, referral: Referral,
) -> None:
    stored = Invitation.objects.get(meeting=welsh_meeting, agency=school)
    assert stored.reason == SCHOOL_CY
    page = signed_in(school_dsl, "en").get(f"/meetings/{welsh_meeting.pk}").content.decode()
    assert SCHOOL_EN in page and POLICE_EN in page
    assert SCHOOL_CY not in page
    reasons = _api_reasons(school_dsl, welsh_meeting, "en")
    assert reasons[school.slug] == SCHOOL_EN
    assert reasons[police.slug] == POLICE_EN
    welsh = _api_reasons(school_dsl, welsh_meeting, "cy")
    assert welsh[school.slug] == SCHOOL_CY


def test_sm1_the_convening_agency_and_the_referrer_read_in_either_language(
    welsh_meeting: Meeting, childrens_services: Agency, school: Agency
) -> None:
    convenes = Invitation.objects.get(meeting=welsh_meeting, agency=childrens_services)
    assert convenes.reason == "Yn galw'r cyfarfod"
    assert render(convenes.reason_parts, "en") == "Convenes the meeting"
    assert render([message_part("Made the referral %(ref)s", ref="R-1")], "cy") == (
        "Gwnaeth yr atgyfeiriad R-1"
    )


def test_sm1_a_reason_a_person_typed_stays_as_typed_in_either_language(
    meeting: Meeting, gateway_worker: User, housing: Agency, school_dsl: User
) -> None:
    typed = "Mae'r teulu'n byw mewn tŷ cymdeithas dai"
    services.invite_agency(gateway_worker, meeting_id=meeting.pk, agency=housing, reason=typed)
    for language in ("en", "cy"):
        assert _api_reasons(school_dsl, meeting, language)[housing.slug] == typed


def test_sm1_an_exclusion_undone_adds_the_typed_reason_to_the_rules_own(
    meeting: Meeting, gateway_worker: User, school: Agency, school_dsl: User
) -> None:
    services.exclude_invitee(gateway_worker, meeting_id=meeting.pk, agency=school,
                             reason="The school is closed for the summer")
    services.invite_agency(gateway_worker, meeting_id=meeting.pk, agency=school,
                           reason="The head teacher can attend after all")
    reasons = _api_reasons(school_dsl, meeting, "cy")
    assert reasons[school.slug] == f"{SCHOOL_CY}; The head teacher can attend after all"


def test_sm1_an_invitation_kept_before_reasons_had_parts_shows_its_text(
    meeting: Meeting, school: Agency, school_dsl: User
) -> None:
    Invitation.objects.filter(meeting=meeting, agency=school).update(
        reason="Written before", reason_parts=[])
    assert _api_reasons(school_dsl, meeting, "cy")[school.slug] == "Written before"
    # Parts this version cannot read fall back to the text too.
    Invitation.objects.filter(meeting=meeting, agency=school).update(
        reason_parts=[{"unknown": 1}])
    page = signed_in(school_dsl, "cy").get(f"/meetings/{meeting.pk}").content.decode()
    assert "Written before" in page


def test_sm1_involvement_part_renders_the_role_and_month_in_each_language() -> None:
    part = involvement_part("gp", "Cai Jones", dt.date(2021, 9, 1))
    assert render([part], "en") == "GP for Cai Jones since September 2021"
    assert render([part], "cy") == "Meddyg teulu i Cai Jones ers Medi 2021"
