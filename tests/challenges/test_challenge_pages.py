"""The professional challenge pages (PC1): raising one about a decision, its record with its
tier, due time and steps, answering and escalating it; refusals name the field and keep what
was typed; a decision the reader may not see is "not found"; the include a workflow's page
uses to list challenges about a decision."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from tarian.challenges import selectors, services
from tarian.challenges.models import Challenge
from tests.challenges.conftest import DECISION, KIND, RAISED_AT, REASON, World
from tests.clients import signed_in

pytestmark = pytest.mark.django_db

NEW = f"/challenges/new?kind={KIND}&id={DECISION}"
ESCALATION = (
    "The team manager will not reconvene the strategy discussion although the bruising was "
    "never explored with the child."
)


def _raised(world: World) -> Challenge:
    return services.raise_challenge(
        world.raiser, about_kind=KIND, about_id=DECISION, reason=REASON, now=RAISED_AT
    )


def test_pc1_the_new_challenge_page_names_the_decision(world: World) -> None:
    page = signed_in(world.raiser).get(NEW)

    assert page.status_code == 200
    body = page.content.decode()
    assert "Challenge a decision" in body and f"Decision {DECISION}" in body
    assert 'name="reason"' in body


def test_pc1_a_bare_reason_is_refused_on_the_page_keeping_the_text(world: World) -> None:
    page = signed_in(world.raiser).post(NEW, {"kind": KIND, "id": DECISION, "reason": "NFA x"})

    assert page.status_code == 400
    body = page.content.decode()
    assert "govuk-error-summary" in body and 'href="#id_reason"' in body
    assert ">NFA x</textarea>" in body
    assert not Challenge.objects.exists()


def test_pc1_raising_on_the_page_leads_to_the_record(world: World) -> None:
    client = signed_in(world.raiser)

    answer = client.post(NEW, {"kind": KIND, "id": DECISION, "reason": REASON})

    challenge = Challenge.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/challenges/{challenge.pk}"
    page = client.get(answer["Location"]).content.decode()
    assert "Tier 1: Between the practitioners and their line managers" in page
    assert "three unexplained bruises this term" in page and "Escalate to the next tier" in page
    assert "Send the response" not in page  # the raiser does not answer their own


@pytest.mark.parametrize("address", [NEW, "/challenges/new?kind=horoscope&id=1",
                                     "/challenges/new"])
def test_pc1_someone_who_cannot_see_the_decision_gets_404_on_the_page(
    world: World, address: str
) -> None:
    page = signed_in(world.outsider).get(address)

    assert page.status_code == 404
    assert f"Decision {DECISION}" not in page.content.decode()


def test_pc1_the_record_is_not_found_for_an_outsider(world: World) -> None:
    challenge = _raised(world)

    page = signed_in(world.outsider).get(f"/challenges/{challenge.pk}")

    assert page.status_code == 404 and REASON not in page.content.decode()


def test_pc1_the_responder_sees_the_forms_and_a_refusal_keeps_the_text(world: World) -> None:
    challenge = _raised(world)
    client = signed_in(world.responder)

    page = client.post(f"/challenges/{challenge.pk}", {
        "action": "respond", "respond-version": "1", "respond-text": "NFA",
        "respond-resolved": "yes",
    })

    assert page.status_code == 400
    body = page.content.decode()
    assert 'href="#id_respond-text"' in body and ">NFA</textarea>" in body
    challenge.refresh_from_db()
    assert challenge.status == "open"


def test_pc1_escalating_on_the_page_moves_to_the_next_tier(world: World) -> None:
    challenge = _raised(world)
    client = signed_in(world.raiser)

    answer = client.post(f"/challenges/{challenge.pk}", {
        "action": "escalate", "escalate-version": "1", "escalate-reason": ESCALATION,
    })

    assert answer.status_code == 302
    challenge.refresh_from_db()
    assert challenge.tier == 2
    page = client.get(f"/challenges/{challenge.pk}").content.decode()
    assert "Tier 2: Team managers and service managers" in page and ESCALATION in page


def test_pc1_a_stale_escalation_keeps_the_text_and_says_why(world: World) -> None:
    challenge = _raised(world)
    services.escalate(world.responder, challenge_id=challenge.pk, reason=ESCALATION)

    page = signed_in(world.raiser).post(f"/challenges/{challenge.pk}", {
        "action": "escalate", "escalate-version": "1", "escalate-reason": "My own words here",
    })

    assert page.status_code == 409
    assert "Someone else acted on this challenge" in page.content.decode()
    assert "My own words here" in page.content.decode()


def test_vc2_the_record_reads_in_welsh(world: World) -> None:
    challenge = _raised(world)

    page = signed_in(world.raiser, "cy").get(f"/challenges/{challenge.pk}").content.decode()

    assert "Haen 1: Rhwng yr ymarferwyr a&#x27;u rheolwyr llinell" in page
    assert "Uwchgyfeirio" in page


def test_pc1_the_include_lists_challenges_and_offers_one(world: World) -> None:
    _raised(world)
    request = RequestFactory().get("/")

    context = selectors.about_panel(world.responder, KIND, DECISION)
    html = render_to_string("challenges/_challenges_about.html", context, request=request)
    outsider = selectors.about_panel(world.outsider, KIND, DECISION)

    assert "Professional challenges" in html and "Challenge this decision" in html
    assert f"/challenges/new?kind={KIND}&amp;id={DECISION}" in html
    assert "Tier 1: Between the practitioners" in html
    assert outsider["challenges"] == [] and outsider["may_challenge"] is False


def test_pc1_challenges_about_a_decision_read_in_constant_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    for _n in range(5):
        _raised(world)

    with django_assert_max_num_queries(2):  # type: ignore[operator]
        rows = selectors.challenges_about(world.responder, KIND, DECISION)
        steps = [step.by for row in rows for step in row.steps.all()]

    assert len(rows) == 5 and len(steps) == 5
