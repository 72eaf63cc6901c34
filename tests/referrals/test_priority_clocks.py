"""Priority sets the clock (#20 item 1; FD1, FD4).

A high-priority referral sent on a Friday night ("I don't want to go home tonight") was due
"Monday 23:59" and shown with a pale "Pending" tag. Now the referrer's priority sets the
decision timescale (the pack's own for each priority: high within hours, through weekends and
bank holidays), the Gateway queue comes by time left with the overdue at the top and says
"due in 2 h 10 min" or "overdue by 1 day 3 h" in words, and a referral that arrives out of
office hours names the emergency duty team that covers it. Times are fixed, never the wall
clock: services take ``now``, pages read a frozen ``timezone.now``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.referrals import selectors, services
from tarian.referrals.models import Referral
from tests.clients import signed_in

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
FRIDAY_NIGHT = dt.datetime(2026, 11, 20, 21, 30, tzinfo=LONDON)
MONDAY = dt.datetime(2026, 11, 16, 11, 0, tzinfo=LONDON)
END_OF_DAY = dt.time(23, 59, 59, 999999)


@pytest.fixture
def edt(settings: Settings) -> None:
    settings.TARIAN_OFFICE_HOURS = (dt.time(9, 0), dt.time(17, 0))
    settings.TARIAN_EMERGENCY_DUTY_TEAM = "Gaerwen Emergency Duty Team"
    settings.TARIAN_EMERGENCY_DUTY_TEAM_CY = "Tîm Dyletswydd Argyfwng Gaerwen"
    settings.TARIAN_EMERGENCY_DUTY_TEAM_PHONE = "01632 960123"


def _refer(user: User, data: dict[str, Any], priority: str, now: dt.datetime) -> Referral:
    return services.submit_referral(user, data={**data, "priority": priority}, now=now)


@pytest.mark.parametrize("pack", ["wales", "england"])
def test_fd1_fd4_20_a_high_priority_referral_on_friday_night_is_due_within_hours(
    school_dsl: User, referral_data: dict[str, Any], settings: Settings, pack: str
) -> None:
    settings.TARIAN_PROCEDURES = pack
    high = _refer(school_dsl, referral_data, "high", FRIDAY_NIGHT)
    standard = _refer(school_dsl, referral_data, "standard", FRIDAY_NIGHT)
    # Hours run through the night and the weekend; working days skip the weekend.
    assert high.decision_due_at == dt.datetime(2026, 11, 21, 1, 30, tzinfo=LONDON)
    assert standard.decision_due_at == dt.datetime.combine(
        dt.date(2026, 11, 23), END_OF_DAY, tzinfo=LONDON
    )
    clock = selectors.with_clock(high, now=FRIDAY_NIGHT + dt.timedelta(hours=5)).clock
    assert (clock.key, clock.status) == ("gateway_decision_high", "overdue")


@pytest.mark.parametrize("pack", ["wales", "england"])
def test_fd4_20_the_priority_clock_across_a_bank_holiday(
    school_dsl: User, referral_data: dict[str, Any], settings: Settings, pack: str
) -> None:
    """Christmas Eve 2026 (a Thursday): Christmas Day and Monday 28 December (Boxing Day's
    substitute) are bank holidays in England and Wales."""
    settings.TARIAN_PROCEDURES = pack
    christmas_eve = dt.datetime(2026, 12, 24, 20, 0, tzinfo=LONDON)
    high = _refer(school_dsl, referral_data, "high", christmas_eve)
    medium = _refer(school_dsl, referral_data, "medium", christmas_eve)
    assert high.decision_due_at == dt.datetime(2026, 12, 25, 0, 0, tzinfo=LONDON)
    assert medium.decision_due_at == dt.datetime.combine(
        dt.date(2026, 12, 29), END_OF_DAY, tzinfo=LONDON
    )


@pytest.fixture
def queue(school_dsl: User, referral_data: dict[str, Any]) -> dict[str, Referral]:
    """Three referrals waiting on Monday 16 November 2026 at 11:00: one overdue by 1 day 3 h
    (high, sent at 04:00 on Sunday), one due in 2 h 10 min (high, sent at 09:10), one due at
    the end of Tuesday (standard, sent at 09:00)."""
    return {
        "later": _refer(school_dsl, referral_data, "standard", MONDAY.replace(hour=9)),
        "soon": _refer(school_dsl, referral_data, "high", MONDAY.replace(hour=9, minute=10)),
        "overdue": _refer(
            school_dsl, referral_data, "high", dt.datetime(2026, 11, 15, 4, 0, tzinfo=LONDON)
        ),
    }


def test_fd4_20_the_queue_comes_by_time_left_overdue_first(
    queue: dict[str, Referral], gateway_worker: User
) -> None:
    items = selectors.gateway_queue(gateway_worker, now=MONDAY)
    assert [item.referral.ref for item in items] == [
        queue["overdue"].ref, queue["soon"].ref, queue["later"].ref,
    ]
    assert [item.clock.status for item in items] == ["overdue", "pending", "pending"]


def _rows(page: str) -> list[str]:
    body = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in body.split("</tr>") if "<td" in row]


@pytest.mark.parametrize(
    ("language", "overdue", "soon", "later", "heading", "waited"),
    [
        ("en", "Overdue by 1 day 3 h", "Due in 2 h 10 min", "Due in 1 day 12 h", "Time left",
         "1 day 7 h"),
        ("cy", "Yn hwyr o 1 diwrnod, 3 awr", "Yn ddyledus ymhen 2 awr, 10 munud",
         "Yn ddyledus ymhen 1 diwrnod, 12 awr", "Amser ar ôl", "1 diwrnod, 7 awr"),
    ],
)
def test_fd4_vc2_20_the_queue_says_the_time_left_in_words(
    queue: dict[str, Referral],
    gateway_worker: User,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    overdue: str,
    soon: str,
    later: str,
    heading: str,
    waited: str,
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: MONDAY)
    page = signed_in(gateway_worker, language).get("/referrals").content.decode()
    assert heading in page
    rows = _rows(page)
    assert [row.split()[0] for row in rows] == [
        queue["overdue"].ref, queue["soon"].ref, queue["later"].ref,
    ]
    assert overdue in rows[0] and soon in rows[1] and later in rows[2]
    # How long each has waited, in the same words (sent at 04:00 on Sunday).
    assert waited in rows[0]
    # Overdue is said in words on a strong tag, not by colour alone; nothing says "Pending".
    assert re.search(r'<strong class="[^"]*tarian-tag--late[^"]*">\s*' + overdue, page)
    assert "Pending" not in page and "Ar y gweill" not in page


def test_fd4_20_the_api_gives_each_clock_its_due_time_in_queue_order(
    queue: dict[str, Referral], gateway_worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: MONDAY)
    client = Client(headers={"authorization": f"Bearer {issue_token(gateway_worker)}"})
    listed = client.get("/api/v1/referrals", {"status": "awaiting_decision"}).json()["results"]
    assert [item["id"] for item in listed] == [
        queue["overdue"].ref, queue["soon"].ref, queue["later"].ref,
    ]
    assert [item["clock_status"] for item in listed] == ["overdue", "pending", "pending"]
    assert dt.datetime.fromisoformat(listed[1]["clock_due_at"]) == MONDAY.replace(
        hour=13, minute=10
    )
    one = client.get(f"/api/v1/referrals/{queue['overdue'].ref}").json()
    assert one["decision_status"] == "overdue"
    assert dt.datetime.fromisoformat(one["decision_due_at"]) == dt.datetime(
        2026, 11, 15, 8, 0, tzinfo=LONDON
    )


@pytest.mark.usefixtures("edt")
def test_fd4_20_out_of_hours_the_referrer_is_told_who_covers_it(
    school_dsl: User, referral_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: FRIDAY_NIGHT)
    client = signed_in(school_dsl)
    data = {**referral_data, "children": ", ".join(referral_data["children"])}
    page = client.post("/referrals/new", data, follow=True).content.decode()
    referral = Referral.objects.get()
    assert (
        f"Report {referral.ref} has been sent. It arrived out of office hours: Gaerwen "
        "Emergency Duty Team covers it (01632 960123). If a child is in immediate danger, "
        "call 999." in page
    )
    # On the referral itself, for whoever reads it, with its decision clock in words.
    assert 'id="out-of-hours"' in page and "Sat 21 Nov 2026 01:30" in page
    assert "Due in 4 h" in page
    welsh = signed_in(school_dsl, "cy").get(f"/referrals/{referral.ref}").content.decode()
    assert "Tîm Dyletswydd Argyfwng Gaerwen sy&#x27;n gyfrifol amdano (01632 960123)" in welsh
    api = Client(headers={"authorization": f"Bearer {issue_token(school_dsl)}"})
    assert api.get(f"/api/v1/referrals/{referral.ref}").json()["out_of_hours_cover"] == {
        "name": "Gaerwen Emergency Duty Team",
        "name_cy": "Tîm Dyletswydd Argyfwng Gaerwen",
        "phone": "01632 960123",
    }


@pytest.mark.usefixtures("edt")
@pytest.mark.parametrize(
    ("received", "covered"),
    [
        (dt.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON), False),  # Monday morning
        (dt.datetime(2026, 11, 16, 17, 30, tzinfo=LONDON), True),  # Monday evening
        (dt.datetime(2026, 11, 21, 10, 0, tzinfo=LONDON), True),  # Saturday
        (dt.datetime(2026, 12, 28, 10, 0, tzinfo=LONDON), True),  # a bank holiday
    ],
)
def test_fd4_20_only_a_referral_received_out_of_hours_names_the_cover(
    school_dsl: User,
    referral_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    received: dt.datetime,
    covered: bool,
) -> None:
    referral = _refer(school_dsl, referral_data, "medium", received)
    cover = selectors.out_of_hours_cover(referral)
    assert (cover is not None) is covered
    monkeypatch.setattr(timezone, "now", lambda: received)
    page = signed_in(school_dsl).get(f"/referrals/{referral.ref}").content.decode()
    assert ("Gaerwen Emergency Duty Team covers it" in page) is covered


@pytest.mark.usefixtures("edt")
def test_fd3_20_a_police_referral_names_no_cover_until_the_gateway_has_it(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    referral = _refer(cru_officer, referral_data, "high", FRIDAY_NIGHT)
    assert referral.received_at is None and selectors.out_of_hours_cover(referral) is None
