"""Issue 20 item 2: the officer changes what the supervisor's comment asks before sending a
returned referral again (FD3). What changed is kept before and after, and shown; nothing else
changes; a bad answer is refused naming its field and changes nothing.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.disclosure.export import export_subject_access
from tarian.errors import Refused
from tarian.referrals import reviews, services
from tarian.referrals.models import Referral, ReferralReview, ReferralStatus, ReviewAction
from tests.referrals.test_police_facts import FORM_FACTS, POLICE_FACTS
from tests.referrals.test_sign_off_review import ANSWER, COMMENT

pytestmark = pytest.mark.django_db

ADDED = (
    " When officers arrived both children were in the kitchen; the older one said dad "
    "shouted and pushed mum."
)


def _api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def _web(user: User, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    if language != "en":
        client.cookies["django_language"] = language
    return client


@pytest.fixture
def returned(
    cru_officer: User, cru_supervisor: User, referral_data: dict[str, Any]
) -> Referral:
    facts = {**POLICE_FACTS, "crime_reference": "", "public_protection_notice_reference": ""}
    referral = services.submit_referral(cru_officer, data={**referral_data, **facts})
    reviews.return_referral(cru_supervisor, ref=referral.ref, comment=COMMENT)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RETURNED_TO_REFERRER
    return referral


def test_fd3_20_officer_changes_the_content_when_sending_again(
    returned: Referral, cru_officer: User
) -> None:
    before = returned.concern
    review = reviews.resubmit_referral(
        cru_officer, ref=returned.ref, answer=ANSWER, version=returned.version,
        changes={"concern": before + ADDED, "crime_reference": " NWP/24/118733 ",
                 "priority": "high"},
    )
    referral = Referral.objects.get(pk=returned.pk)
    assert referral.status == ReferralStatus.AWAITING_SUPERVISOR
    assert referral.concern == before + ADDED and referral.crime_reference == "NWP/24/118733"
    assert referral.version == returned.version + 1
    # What changed is kept with its earlier wording; what was sent as it was is not listed.
    assert review.changes == {
        "concern": {"before": before, "after": before + ADDED},
        "crime_reference": {"before": "", "after": "NWP/24/118733"},
    }
    assert referral.strengths == returned.strengths


def test_fd3_20_who_the_referral_is_about_is_not_changed_on_resubmit(
    returned: Referral, cru_officer: User
) -> None:
    with pytest.raises(Refused) as refused:
        reviews.resubmit_referral(
            cru_officer, ref=returned.ref, answer=ANSWER,
            changes={"children": [], "referrer": "someone", "priority": "whenever"},
        )
    assert set(refused.value.errors) == {"children", "referrer", "priority"}
    referral = Referral.objects.get(pk=returned.pk)
    assert referral.status == ReferralStatus.RETURNED_TO_REFERRER
    assert referral.version == returned.version and referral.priority == returned.priority
    assert not ReferralReview.objects.filter(action=ReviewAction.RESUBMITTED).exists()


def test_fd3_20_a_blanked_concern_is_refused_and_nothing_changes(
    returned: Referral, cru_officer: User
) -> None:
    with pytest.raises(Refused) as refused:
        reviews.resubmit_referral(cru_officer, ref=returned.ref, answer=ANSWER,
                                  changes={"concern": "  ", "strengths": "More strengths."})
    assert set(refused.value.errors) == {"concern"}
    referral = Referral.objects.get(pk=returned.pk)
    assert referral.concern == returned.concern and referral.strengths == returned.strengths


def test_fd3_20_api_resubmit_with_changes_reads_them_back(
    returned: Referral, cru_officer: User, cru_supervisor: User
) -> None:
    officer = _api(cru_officer)
    url = f"/api/v1/referrals/{returned.ref}/resubmit"
    bad = officer.post(url, {"answer": ANSWER, "consent": "maybe"},
                       content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"consent"}
    assert "given" in bad.json()["errors"]["consent"][0]
    sent = officer.post(url, {"answer": ANSWER, "crime_reference": "NWP/24/118733",
                              "strengths": "Grandmother will have the children tonight."},
                        content_type="application/json")
    assert sent.status_code == 200, sent.json()
    body = _api(cru_supervisor).get(f"/api/v1/referrals/{returned.ref}").json()
    assert body["crime_reference"] == "NWP/24/118733"
    step = body["reviews"][-1]
    assert step["action"] == "resubmitted"
    assert step["changes"]["strengths"]["after"] == "Grandmother will have the children tonight."
    assert step["changes"]["crime_reference"] == {"before": "", "after": "NWP/24/118733"}
    assert body["reviews"][0]["changes"] == {}


def test_fd3_20_the_page_offers_the_content_and_shows_what_changed(
    returned: Referral, cru_officer: User, cru_supervisor: User
) -> None:
    officer = _web(cru_officer)
    page = officer.get(f"/referrals/{returned.ref}/resubmit")
    assert page.status_code == 200
    text = page.content.decode()
    assert COMMENT in text and 'id="supervisor-comment"' in text
    assert returned.concern in text  # the form is filled in with what it says now
    assert 'name="crime_reference"' in text and 'name="answer"' in text
    form = {**{k: v for k, v in FORM_FACTS.items()}, "crime_reference": "NWP/24/118733",
            "concern": returned.concern + ADDED, "voice_of_child": returned.voice_of_child,
            "voice_method": returned.voice_method, "voice_language": returned.voice_language,
            "parental_awareness": returned.parental_awareness, "consent": returned.consent,
            "strengths": returned.strengths, "priority": returned.priority,
            "answer": ANSWER, "version": returned.version}
    sent = officer.post(f"/referrals/{returned.ref}/resubmit", form)
    assert sent.status_code == 302, sent.content.decode()[:2000]
    shown = _web(cru_supervisor).get(f"/referrals/{returned.ref}").content.decode()
    assert "What the officer changed (3 answers)" in shown
    changes = shown[shown.index("tarian-changes"):]
    assert "Crime or incident reference" in changes and "NWP/24/118733" in changes
    assert "Not given" in changes  # the reference was not given before
    assert ADDED.strip() in changes and "<del" in changes and "<ins" in changes


def test_fd3_20_the_page_refuses_a_missing_police_fact_and_keeps_what_was_typed(
    returned: Referral, cru_officer: User
) -> None:
    officer = _web(cru_officer)
    form = {**FORM_FACTS, "crime_reference": "", "public_protection_notice_reference": "",
            "concern": returned.concern + ADDED, "voice_of_child": returned.voice_of_child,
            "voice_method": returned.voice_method, "parental_awareness": "aware",
            "consent": returned.consent, "priority": returned.priority,
            "answer": ANSWER, "version": returned.version}
    page = officer.post(f"/referrals/{returned.ref}/resubmit", form)
    assert page.status_code == 400
    text = page.content.decode()
    assert "Enter the crime or incident reference" in text and ADDED.strip() in text
    referral = Referral.objects.get(pk=returned.pk)
    assert referral.status == ReferralStatus.RETURNED_TO_REFERRER
    assert referral.concern == returned.concern and referral.parental_awareness != "aware"


def test_fd3_20_only_the_officer_who_made_it_gets_the_page(
    returned: Referral, cru_supervisor: User, gateway_worker: User
) -> None:
    for user in (cru_supervisor, gateway_worker):
        page = _web(user).get(f"/referrals/{returned.ref}/resubmit")
        assert page.status_code in {403, 404}
        assert returned.concern not in page.content.decode()


def test_vc2_20_the_resubmit_page_in_welsh(returned: Referral, cru_officer: User) -> None:
    text = _web(cru_officer, "cy").get(f"/referrals/{returned.ref}/resubmit").content.decode()
    assert "Ei anfon at eich goruchwyliwr eto" in text
    assert "Newidiwch yr hyn y mae\u2019r sylw yn ei ofyn" in text


def test_is4_20_the_subject_access_export_holds_the_review_steps(
    returned: Referral, cru_officer: User, team_manager: User
) -> None:
    """The child's own export holds the supervisor's return and the officer's answer with what
    they changed; the household notes an officer changed stay withheld (third parties)."""
    reviews.resubmit_referral(
        cru_officer, ref=returned.ref, answer=ANSWER,
        changes={"concern": returned.concern + ADDED,
                 "household_notes": "Her uncle, Bleddyn Cuddiedig, stays most nights."},
    )
    child = returned.children.order_by("pk").first()
    assert child is not None
    export = export_subject_access(team_manager, ref=child.ref)
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        record = json.loads(archive.read("record.json"))
        readme = archive.read("README.txt").decode()
    steps = [s for s in record["referral_reviews"] if s["referral"] == returned.ref]
    assert [s["step"] for s in steps] == ["Returned to the officer", "Sent to the supervisor again"]
    assert steps[0]["reason"] == COMMENT and steps[1]["reason"] == ANSWER
    assert steps[1]["by"] == "member of staff" and str(cru_officer) not in json.dumps(steps)
    assert steps[1]["changes"]["concern"]["after"] == returned.concern + ADDED
    assert steps[1]["changes"]["household_notes"] == {
        "before": "[withheld: third party]", "after": "[withheld: third party]",
    }
    assert "Bleddyn" not in json.dumps(record)
    assert "Reviews of referrals" in readme


def test_fd3_20_resubmitting_is_one_transaction(returned: Referral, cru_officer: User) -> None:
    """The referral is locked for the change (on PostgreSQL a lock outside a transaction is an
    error, which the test database's own transaction would hide)."""
    assert getattr(reviews.resubmit_referral, "__wrapped__", None) is not None
