"""The pack's own words at the front door (FD6, VC2; issue 20 item 5): a Wales deployment says
"report" and "designated safeguarding person", an England one "referral" and "designated
safeguarding lead", in English and Welsh; the repeat-referral rule (3 in 12 months) is the
pack's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tarian.agencies.models import Agency, User
from tarian.chronology.selectors import chronology_for
from tarian.notifications.models import Notification
from tarian.people.models import Person
from tarian.procedures.packs import Duration, Pack, Unit, load_pack
from tarian.referrals import history, services
from tarian.referrals.history import earlier_referrals
from tarian.referrals.models import Referral
from tests.clients import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)


@pytest.fixture
def teacher(school: Agency) -> User:
    return UserFactory(username="athro", agency=school, roles=["referrer"])


def _pages(user: User, referral: Referral, language: str = "en") -> str:
    client = signed_in(user, language)
    return "".join(
        client.get(path).content.decode()
        for path in ("/referrals", "/referrals/new", f"/referrals/{referral.ref}")
    )


def test_wales_pages_say_report_in_english_and_welsh(
    settings: Any, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    settings.TARIAN_PROCEDURES = "wales"
    referral = services.submit_referral(school_dsl, data=referral_data)
    english = _pages(school_dsl, referral)
    for words in ("Make a report", f"Report {referral.ref}", ">Reports</a>", "Send report",
                  "Recent reports you can see"):
        assert words in english, words
    assert "Make a referral" not in english and f"Referral {referral.ref}" not in english
    welsh = _pages(school_dsl, referral, "cy")
    for words in ("Gwneud adroddiad", f"Adroddiad {referral.ref}", ">Adroddiadau</a>",
                  "Adroddiadau diweddar y gallwch eu gweld"):
        assert words in welsh, words
    assert "tgyfeiriad" not in welsh


def test_england_pages_say_referral_in_english_and_welsh(
    settings: Any, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    settings.TARIAN_PROCEDURES = "england"
    referral = services.submit_referral(school_dsl, data=referral_data)
    english = _pages(school_dsl, referral)
    for words in ("Make a referral", f"Referral {referral.ref}", ">Referrals</a>",
                  "Send referral"):
        assert words in english, words
    assert "Make a report" not in english
    welsh = _pages(school_dsl, referral, "cy")
    assert "Gwneud atgyfeiriad" in welsh and f"Atgyfeiriad {referral.ref}" in welsh


@pytest.mark.parametrize(("pack", "lead", "report"), [
    ("wales", "designated safeguarding person", "sent a report"),
    ("england", "designated safeguarding lead", "sent a referral"),
])
def test_fd2_the_safeguarding_lead_is_told_in_the_packs_words(
    settings: Any, teacher: User, school_dsl: User, referral_data: dict[str, Any],
    pack: str, lead: str, report: str,
) -> None:
    settings.TARIAN_PROCEDURES = pack
    services.submit_referral(teacher, data=referral_data)
    told = Notification.objects.get(recipient=school_dsl)
    assert f"For your information as {lead}: " in told.body and report in told.body


def _three_referrals(referrer: User, data: dict[str, Any], first_days_ago: int) -> Referral:
    for days in (first_days_ago, 30):
        services.submit_referral(referrer, data=data, now=NOW - dt.timedelta(days=days))
    return services.submit_referral(referrer, data=data, now=NOW)


@pytest.mark.parametrize(("first_days_ago", "is_repeat"), [(300, True), (400, False)])
def test_fd6_three_referrals_within_the_packs_twelve_months_are_repeat_referrals(
    school_dsl: User, referral_data: dict[str, Any], first_days_ago: int, is_repeat: bool
) -> None:
    latest = _three_referrals(school_dsl, referral_data, first_days_ago)
    for item in earlier_referrals(latest, now=NOW):
        assert item.is_repeat is is_repeat
        assert item.in_window_with_this == (3 if is_repeat else 2)
        assert len(item.earlier) == 2


def test_fd6_the_repeat_rule_and_its_words_come_from_the_pack(
    monkeypatch: pytest.MonkeyPatch, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    wales = load_pack("wales")
    rule = dataclasses.replace(
        wales.rule("repeat_referrals"), count=2, within=Duration(30, Unit.CALENDAR_DAYS)
    )
    local: Pack = dataclasses.replace(wales, rules=MappingProxyType({rule.key: rule}))
    monkeypatch.setattr(history, "current_pack", lambda: local)
    services.submit_referral(school_dsl, data=referral_data, now=NOW - dt.timedelta(days=20))
    latest = services.submit_referral(school_dsl, data=referral_data, now=NOW)
    [first, second] = earlier_referrals(latest, now=NOW)
    assert first.is_repeat and second.is_repeat
    assert first.repeat_tag() == "Repeat reports: 2 within 30 days"


def test_vc2_the_repeat_tag_is_in_welsh(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    latest = _three_referrals(school_dsl, referral_data, 300)
    page = signed_in(gateway_worker, "cy").get(f"/referrals/{latest.ref}").content.decode()
    assert "Adroddiadau mynych: 3 o fewn 12 mis" in page
    assert "Adroddiadau cynharach" in page


@pytest.mark.parametrize(("pack", "label"), [("wales", "Report made"),
                                             ("england", "Referral made")])
def test_is2_the_chronology_names_the_referral_in_the_packs_words(
    settings: Any, school_dsl: User, child: Person, referral_data: dict[str, Any],
    pack: str, label: str,
) -> None:
    settings.TARIAN_PROCEDURES = pack
    services.submit_referral(school_dsl, data=referral_data)
    [made] = [e for e in chronology_for(school_dsl, child.ref).events
              if e.kind == "referral_made"]
    assert made.label == label


@pytest.mark.parametrize(("pack", "language", "role"), [
    ("wales", "en", "Designated safeguarding person"),
    ("wales", "cy", "Person diogelu dynodedig"),
    ("england", "en", "Designated safeguarding lead"),
])
def test_the_safeguarding_leads_role_is_named_as_the_pack_names_it(
    settings: Any, school_dsl: User, pack: str, language: str, role: str
) -> None:
    settings.TARIAN_PROCEDURES = pack
    home = signed_in(school_dsl, language).get("/").content.decode()
    assert f'tarian-tag">{role}</strong>' in home


def test_wales_confirmation_after_sending_says_report(
    settings: Any, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    """The message after sending, in English and Welsh (#20 item 5)."""
    settings.TARIAN_PROCEDURES = "wales"
    form = {**referral_data, "children": ", ".join(referral_data["children"])}
    for language, said, sent in (("en", "Report R", "has been sent"),
                                 ("cy", "Mae adroddiad R", "wedi'i anfon")):
        page = signed_in(school_dsl, language).post("/referrals/new", form, follow=True)
        text = html.unescape(page.content.decode())
        assert said in text and sent in text, language
        assert "Referral R" not in text and "tgyfeiriad R" not in text
