"""What a new user met on the demo (#20, a probe on a phone in Welsh): questions left unanswered
named in words with links that reach them, the same hidden child chosen twice kept once, a
decision's reason cut at a word with "…", the resubmit page naming the children, the Gateway's
rejection of a record summarised where the reader lands."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tarian.agencies.models import User
from tarian.people.models import Person
from tarian.people.unseen import issue_handle
from tarian.referrals import reviews, services
from tarian.referrals.chronology import _short
from tarian.referrals.unseen import add_from_panel
from tests.clients import signed_in
from tests.factories import PersonFactory
from tests.referrals.test_police_facts import POLICE_FACTS
from tests.referrals.test_sign_off_review import COMMENT

pytestmark = pytest.mark.django_db


def test_fd1_vc2_20_unanswered_questions_are_named_and_their_links_reach_them(
    school_dsl: User, child: Person
) -> None:
    page = signed_in(school_dsl).post("/referrals/new", {
        "children": child.ref, "concern": "Gwenllian arrived hungry again and said there is "
        "no food at home.", "voice_of_child": "'No food.'", "voice_method": "own_words",
    })
    text = html.unescape(page.content.decode())
    assert "govuk-error-summary" in text
    assert "Say whether the parents or carers know about this report" in text
    assert "Say whether consent was given, refused or not sought" in text
    assert "Choose how urgent this is" in text
    assert "Choose one of:" not in text
    links = re.findall(r'<a href="#([^"]*)">', text)
    assert "id_parental_awareness" in links and "id_consent" in links and "" not in links
    assert 'id="id_parental_awareness"' in text  # the first answer, where the link lands


def test_fd1_20_the_same_hidden_child_chosen_from_two_searches_is_kept_once(
    school_dsl: User,
) -> None:
    hidden = PersonFactory(given_name="Cudd", family_name="Prydderch")
    first, second = issue_handle(school_dsl, hidden.pk), issue_handle(school_dsl, hidden.pk)
    assert first != second  # each search makes its own handle
    rows = add_from_panel(school_dsl, [], handle=first, given_name="Cudd",
                          family_name="Prydderch", date_of_birth=None)
    rows = add_from_panel(school_dsl, rows, handle=second, given_name="Cudd",
                          family_name="Prydderch", date_of_birth=None)
    assert len(rows) == 1


def test_is2_20_a_long_reason_in_the_chronology_ends_at_a_word_with_an_ellipsis() -> None:
    text = " ".join(["considered"] * 80)
    short = _short(text)
    assert short.endswith("…") and short[:-1].split()[-1] == "considered"
    assert _short("A short reason.") == "A short reason."


def test_fd3_20_the_resubmit_page_names_the_children(
    cru_officer: User, cru_supervisor: User, referral_data: dict[str, Any], child: Person
) -> None:
    referral = services.submit_referral(cru_officer, data={**referral_data, **POLICE_FACTS})
    reviews.return_referral(cru_supervisor, ref=referral.ref, comment=COMMENT)
    text = signed_in(cru_officer).get(f"/referrals/{referral.ref}/resubmit").content.decode()
    about = text[text.index('id="about-children"'):]
    assert child.full_name in about[:400]


def test_fd1_20_what_was_typed_in_the_match_panel_is_kept_after_an_error(
    school_dsl: User,
) -> None:
    page = signed_in(school_dsl).post("/referrals/new", {
        "match_given_name": "Chloe", "match_family_name": "Murray", "dob_year": "2016",
        "concern": "Chloe said she is scared to go home tonight because of her stepfather.",
    })
    text = page.content.decode()
    assert "govuk-error-summary" in text
    assert 'name="match_given_name" value="Chloe"' in text
    assert 'name="match_family_name" value="Murray"' in text and 'value="2016"' in text


def test_is3_20_recording_a_person_with_nothing_filled_in_names_every_problem(
    school_dsl: User,
) -> None:
    text = html.unescape(
        signed_in(school_dsl).post("/people/new?for=referral", {}).content.decode()
    )
    assert "Choose child, unborn baby or adult" in text
    summary = text[text.index("govuk-error-summary"):text.index("</ul>", text.index(
        "govuk-error-summary"))]
    assert summary.count("<li>") >= 2, summary


def test_fd1_fd3_20_the_demo_shows_each_state_of_the_front_door() -> None:
    """The demo has a referral about a child the school could not see (waiting for the
    Gateway's answer), a police referral returned to the officer, and decisions dated the day
    their referral came in."""
    from tarian.agencies.demo import create_demo_users
    from tarian.referrals.demo import create_demo_referrals
    from tarian.referrals.models import GatewayDecision, Referral, ReferralStatus, UnseenChild
    from tarian.seed.agencies import area_agencies
    from tarian.seed.write import seed_area

    seed_area(children=60, random_seed=3, progress=False)
    agencies = area_agencies()
    create_demo_users(agencies.school_slug, agencies.gp_slug)
    assert create_demo_referrals(random_seed=1) > 0
    assert UnseenChild.objects.filter(status="waiting").exists()
    assert Referral.objects.filter(status=ReferralStatus.RETURNED_TO_REFERRER).exists()
    for decision in GatewayDecision.objects.select_related("referral"):
        assert (decision.decided_at - decision.referral.submitted_at).days == 0
