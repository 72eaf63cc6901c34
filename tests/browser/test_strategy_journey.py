"""Journey (#21; SM1 to SM4, EQ1, VC2): the chair opens the strategy discussion from the referral,
records it held and a decision with its rationale, drafts the minutes (saved as typed) and
approves them, agrees an action for the school and starts Section 47 enquiries from the meeting,
in English on a desktop; the invited school's DSL opens it on a phone in Welsh, answers the
invitation, records a dissent, completes the school's action with its outcome and reads the
enquiries. Every page passes axe-core (no serious or critical violation) and the phone's pages
fit the screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tarian.actions.models import AgreedAction
from tarian.agencies.models import User
from tarian.enquiries.models import Enquiry
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

ACTION = "Send the attendance record for this term to the social worker"
OUTCOME = "Anfonwyd y cofnod presenoldeb ddydd Mawrth."
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

    # SM3: the chair agrees an action owned by the school's DSL.
    page.get_by_text("Agree an action").click()
    agree = page.locator("form[action$='/actions']")
    agree.locator("select[name='action-owner_agency']").select_option(str(school_dsl.agency_id))
    agree.locator("select[name='action-owner']").select_option(school_dsl.username)
    agree.locator("textarea[name='action-description']").fill(ACTION)
    due = timezone.localdate() + dt.timedelta(days=7)
    for name, value in (("day", due.day), ("month", due.month), ("year", due.year)):
        agree.locator(f"input[name='action-{name}']").fill(str(value))
    agree.locator("button[type='submit']").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.locator("table[aria-labelledby='actions']")).to_contain_text(ACTION)
    check_accessibility(page)

    # EQ1: the chair starts Section 47 enquiries from the meeting, the protocol's proposal shown.
    page.locator("#start-enquiries").click()
    expect(page.locator("h1")).to_contain_text("Start Section 47 enquiries")
    check_accessibility(page)
    page.locator("input[name='start-concern'][value='physical']").check()
    page.get_by_role("button", name="Show the protocol's proposal for this concern").click()
    expect(page.locator("#protocol-proposal")).to_contain_text(
        "Physical abuse: joint enquiries with the police")
    expect(page.locator("input[name='start-type'][value='joint']")).to_be_checked()
    page.locator("textarea[name='start-rationale']").fill(DECISION)
    page.get_by_role("button", name="Start Section 47 enquiries").click()
    expect(page.locator("h1")).to_contain_text("Section 47 enquiries")
    expect(page.locator("#rationale")).to_contain_text(DECISION)
    check_accessibility(page)
    sign_out(page)
    enquiry = Enquiry.objects.get()
    assert enquiry.concern == "physical" and enquiry.type == "joint"
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

    # SM3: the school's DSL completes the action with its outcome; the meeting shows it.
    meeting_url = phone.url.split("#")[0]
    phone.locator("table[aria-labelledby='actions'] a[href$='/complete']").click()
    fits(phone)
    check_accessibility(phone)
    phone.locator("textarea[name='outcome']").fill(OUTCOME)
    phone.locator("main form button[type='submit']").click()
    expect(phone.locator("table[aria-labelledby='actions']")).to_contain_text(OUTCOME)
    assert phone.url.split("#")[0] == meeting_url
    fits(phone)
    check_accessibility(phone)
    assert AgreedAction.objects.get().status == "completed"

    # EQ1: the school reads the enquiries the meeting started, in Welsh, without their forms.
    phone.locator(f"#enquiry-{enquiry.pk} a").click()
    expect(phone.locator("h1")).to_contain_text("Ymholiadau Adran 47")
    expect(phone.locator("main")).not_to_contain_text("Cofnodi bod plentyn wedi'i weld")
    fits(phone)
    check_accessibility(phone)
