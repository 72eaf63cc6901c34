"""Journey (#21; SM1, SM2, SM4, VC2): the chair opens the strategy discussion from the referral,
records it held and a decision with its rationale, drafts the minutes (saved as typed) and
approves them, in English on a desktop; the invited school's DSL opens it on a phone in Welsh,
answers the invitation and records a dissent. Every page passes axe-core (no serious or
critical violation) and the phone's pages fit the screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tarian.agencies.models import User
from tarian.meetings.models import Dissent, MeetingStatus, Minutes, MinutesStatus
from tarian.people.models import Person
from tarian.referrals import services
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in
from tests.browser.test_front_door_phone_welsh import in_welsh, phone, sign_out
from tests.browser.test_welsh_phone_tablet import fits
from tests.factories import InvolvementFactory
from tests.referrals.conftest import RATIONALE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["phone"]

DECISION = ("Bruising seen twice and the child is hungry at school: joint Section 47 enquiries "
            "with the police are needed to understand what is happening at home.")


def test_the_chair_runs_the_strategy_discussion_and_the_school_dissents_in_welsh(
    page: Any, phone: Any, live_server: Any, child: Person, school_dsl: User,
    gateway_worker: User, police: Any,
) -> None:
    base = live_server.url
    InvolvementFactory(person=child, agency=school_dsl.agency, role="school")
    referral = services.submit_referral(school_dsl, data={
        "children": [child.ref], "concern": "Bruises on both arms and hungry every morning.",
        "voice_of_child": "'Mum's friend shouts.'", "voice_method": "own_words",
        "parental_awareness": "aware", "consent": "given", "priority": "high",
    })
    services.record_decision(gateway_worker, ref=referral.ref, outcome="strategy_discussion",
                             rationale=RATIONALE)

    sign_in(page, base, gateway_worker.username)
    page.goto(f"{base}/referrals/{referral.ref}")
    page.locator("#strategy-discussion a").click()
    expect(page.locator("h1")).to_contain_text("Strategy discussion")
    check_accessibility(page)
    page.get_by_text("Record that the meeting was held").click()
    held = page.locator("form[action$='/held']")
    when = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    for name, value in (("day", when.day), ("month", when.month), ("year", when.year),
                        ("hour", when.hour), ("minute", when.minute)):
        held.locator(f"input[name='held-{name}']").fill(str(value))
    held.locator("textarea[name='held-risk_analysis']").fill("Risk from an adult at home.")
    held.locator("button[type='submit']").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    page.get_by_text("Record a decision").click()
    decide = page.locator("form[action$='/decisions']")
    decide.locator("input[value='section_47']").check()
    decide.locator("textarea[name='decision-rationale']").fill(DECISION)
    decide.locator("button[type='submit']").click()
    expect(page.locator("#decisions")).to_be_visible()
    expect(page.locator("main")).to_contain_text(DECISION)
    minutes = page.locator("textarea[name='minutes-text']")
    minutes.fill("Present: the school, the police, children's services. Agreed: Section 47.")
    expect(page.locator("#minutes-status")).to_contain_text("Saved at")
    page.locator("form[action$='/minutes'] button[type='submit']").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.locator("#minutes-state")).to_contain_text("Approved by the chair")
    check_accessibility(page)
    sign_out(page)
    minutes_row = Minutes.objects.get()
    assert minutes_row.status == MinutesStatus.APPROVED
    assert minutes_row.meeting.status == MeetingStatus.HELD

    in_welsh(phone, base, school_dsl.username)
    phone.goto(f"{base}/meetings")
    fits(phone)
    check_accessibility(phone)
    phone.locator("#meetings a").first.click()
    expect(phone.locator("html")).to_have_attribute("lang", "cy")
    expect(phone.locator("main")).to_contain_text("Gwahoddiadau")
    fits(phone)
    check_accessibility(phone)
    answer = phone.locator("form[action$='/answer']")
    answer.locator("input[value='accepted']").check()
    answer.locator("button[type='submit']").click()
    expect(phone.locator(".govuk-notification-banner--success")).to_be_visible()
    phone.locator("#dissents ~ details summary").first.click()
    dissent = phone.locator("form[action$='/dissents']")
    dissent.locator("textarea[name='dissent-reason']").fill(
        "Mae angen ymweliad ar y cyd heddiw, nid wythnos nesaf.")
    dissent.locator("button[type='submit']").click()
    expect(phone.locator(".tarian-dissent")).to_contain_text("Mae angen ymweliad ar y cyd heddiw")
    fits(phone)
    check_accessibility(phone)
    assert Dissent.objects.get().agency == school_dsl.agency
