"""Feedback to the referrer is a running clock, and says what happens next (#20 item 4; FD5).

The pack's ``feedback_to_referrer`` timescale runs from the Gateway decision until someone is
told; the referral shows it (due, sent, overdue), and the Gateway's referrals page marks the
decided referrals whose feedback is overdue. The feedback names the child (in Tarian, never in
the emailed subject), says what happens next for the outcome (the pack's description of it),
and is written in the language each recipient reads Tarian in (``User.language``, remembered
when they switch language).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q
from django.utils import timezone

from tarian.agencies.models import Agency, User
from tarian.notifications.models import Notification
from tarian.people.models import Person
from tarian.referrals import selectors, services
from tarian.referrals.models import Referral
from tests.clients import signed_in
from tests.factories import UserFactory
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
# Three working days from Monday's decision (both packs): the end of Thursday.
FEEDBACK_DUE = dt.datetime(2026, 11, 5, 23, 59, 59, 999999, tzinfo=LONDON)


@pytest.fixture
def teacher(school: Agency) -> User:
    return UserFactory(
        username="athro", first_name="Alun", last_name="Athro", agency=school, roles=["referrer"]
    )


def _decided(teacher: User, data: dict[str, Any], gateway_worker: User) -> Referral:
    """A referral by the teacher, decided (early help) on Monday 10:00, not yet signed off."""
    referral = services.submit_referral(teacher, data=data, now=MONDAY - dt.timedelta(hours=2))
    services.record_decision(
        gateway_worker, ref=referral.ref, outcome="early_help", rationale=RATIONALE, now=MONDAY
    )
    return referral


def test_fd5_20_the_gateway_sees_feedback_that_is_overdue(
    teacher: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    late = _decided(teacher, referral_data, gateway_worker)
    told = _decided(teacher, referral_data, gateway_worker)
    manager = UserFactory(agency=team_manager.agency, roles=["team_manager"])
    services.sign_off_decision(manager, ref=told.ref, now=MONDAY + dt.timedelta(hours=1))

    _queue, overdue = selectors.gateway_work(gateway_worker, now=FEEDBACK_DUE)
    assert overdue == []  # due, not yet late
    after = FEEDBACK_DUE + dt.timedelta(days=1, hours=3)
    _queue, overdue = selectors.gateway_work(gateway_worker, now=after)
    assert [item.referral.ref for item in overdue] == [late.ref]
    assert overdue[0].clock.key == "feedback_to_referrer"

    monkeypatch.setattr(timezone, "now", lambda: after)
    page = signed_in(gateway_worker).get("/referrals").content.decode()
    marker = page.split('id="feedback-overdue"', 1)[1].split("</ul>", 1)[0]
    assert "Feedback to the referrer overdue" in page
    assert late.ref in marker and "Overdue by 1 day 3 h" in marker
    assert "Gwenllian Prydderch" in marker
    assert told.ref not in marker
    # The manager who signs off sees the same clock beside each decision waiting for them.
    waiting = signed_in(team_manager).get("/referrals").content.decode()
    assert "feedback to the referrer:" in waiting and "Overdue by 1 day 3 h" in waiting
    welsh = signed_in(gateway_worker, "cy").get("/referrals").content.decode()
    assert "Adborth i'r atgyfeiriwr yn hwyr" in welsh
    assert "Yn hwyr o 1 diwrnod, 3 awr" in welsh


def test_fd5_20_the_referral_shows_its_feedback_due_then_sent(
    teacher: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    referral = _decided(teacher, referral_data, gateway_worker)
    monkeypatch.setattr(timezone, "now", lambda: MONDAY + dt.timedelta(hours=1))
    page = signed_in(gateway_worker).get(f"/referrals/{referral.ref}").content.decode()
    assert "due by Thu 5 Nov 2026 23:59" in page and "Due in 3 days 12 h" in page
    manager = UserFactory(agency=team_manager.agency, roles=["team_manager"])
    services.sign_off_decision(manager, ref=referral.ref, now=MONDAY + dt.timedelta(hours=1))
    page = signed_in(gateway_worker).get(f"/referrals/{referral.ref}").content.decode()
    feedback = page.split('id="feedback"', 1)[1].split("</dd>", 1)[0]
    assert "2 Nov 2026 11:00, Alun Athro" in feedback and "Met" in feedback


def _feedback_to(user: User) -> Notification:
    """The outcome told to ``user``, in English or Welsh."""
    return Notification.objects.get(
        Q(subject__startswith="Outcome of") | Q(subject__startswith="Canlyniad"), recipient=user
    )


@pytest.mark.parametrize("language", ["", "en"])
def test_fd5_20_the_feedback_names_the_child_and_says_what_happens_next(
    teacher: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
    child: Person,
    sibling: Person,
    language: str,
) -> None:
    teacher.language = language
    teacher.save(update_fields=["language"])
    referral = _decided(teacher, referral_data, gateway_worker)
    services.sign_off_decision(team_manager, ref=referral.ref, now=MONDAY)
    note = _feedback_to(teacher)
    assert note.subject == f"Outcome of your report {referral.ref}"
    # The subject is emailed: it never names a child. The body, read in Tarian, does.
    assert child.given_name not in note.subject
    assert "The Gateway has decided on your report about" in note.body
    assert str(child) in note.body and str(sibling) in note.body
    assert "Early help / Team Around the Family" in note.body
    assert f"Why: {RATIONALE}" in note.body
    assert (
        "What happens next: The child and family are offered early help, with a team around "
        "the family working with them with their agreement." in note.body
    )


def test_fd5_vc2_20_a_referrer_who_reads_welsh_is_told_in_welsh(
    teacher: User,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
    child: Person,
) -> None:
    teacher.language = "cy"
    teacher.save(update_fields=["language"])
    referral = _decided(teacher, referral_data, gateway_worker)
    # The manager signs off in English; the teacher reads Welsh.
    services.sign_off_decision(team_manager, ref=referral.ref, now=MONDAY)
    note = _feedback_to(teacher)
    assert note.subject == f"Canlyniad eich adroddiad {referral.ref}"
    assert "Mae'r Porth wedi penderfynu ar eich adroddiad am" in note.body
    assert str(child) in note.body
    assert "Cymorth cynnar / Tîm o Amgylch y Teulu" in note.body
    assert f"Y rheswm: {RATIONALE}" in note.body
    assert "Beth sy'n digwydd nesaf: Cynigir cymorth cynnar i'r plentyn a'r teulu" in note.body
    assert "What happens next" not in note.body


def test_fd5_vc2_20_each_safeguarding_lead_is_told_in_their_own_language(
    teacher: User,
    school: Agency,
    referral_data: dict[str, Any],
    gateway_worker: User,
    team_manager: User,
    settings: Any,
) -> None:
    settings.TARIAN_PROCEDURES = "england"
    welsh_lead = UserFactory(username="mair", agency=school, roles=["dsl"], language="cy")
    english_lead = UserFactory(username="jane", agency=school, roles=["dsl"], language="en")
    referral = _decided(teacher, referral_data, gateway_worker)
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    services.sign_off_decision(team_manager, ref=referral.ref, now=MONDAY)
    assert "Mae'r Porth wedi penderfynu ar yr atgyfeiriad am" in _feedback_to(welsh_lead).body
    assert "asesiad" not in _feedback_to(welsh_lead).body  # early help, England's words:
    assert "Cynigir cymorth cynnar i'r plentyn a'r teulu: mae ymarferydd arweiniol" in (
        _feedback_to(welsh_lead).body
    )
    english = _feedback_to(english_lead).body
    assert "The Gateway has decided on the referral about" in english
    assert "that Alun Athro made" in english
    assert "What happens next: The child and family are offered early help: a lead" in english
    referral.refresh_from_db()
    assert sorted(told["name"] for told in referral.feedback_sent_to) == sorted(
        [str(welsh_lead), str(english_lead)]
    )


def test_vc2_20_switching_language_is_remembered_for_what_is_written_later(
    teacher: User,
) -> None:
    client = signed_in(teacher)
    client.post("/i18n/setlang", {"language": "cy", "next": "/"})
    teacher.refresh_from_db()
    assert (teacher.language, teacher.reads_in()) == ("cy", "cy")
    client.post("/i18n/setlang", {"language": "xx", "next": "/"})
    teacher.refresh_from_db()
    assert teacher.language == "cy"
    client.post("/i18n/setlang", {"language": "en", "next": "/"})
    teacher.refresh_from_db()
    assert teacher.language == "en"
