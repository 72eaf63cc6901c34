"""Journey (FD1, FD6, IS1, #20 item 8): another school's safeguarding lead, whose school is not
involved with the child, types what they know into "Is the child already known?", is told a
possible match exists that they may not see, refers that child without seeing their record, and
sends the referral; nothing of the record shows on their pages. The Gateway worker sees the
record beside what the referrer typed and confirms it. Every page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tarian.agencies.models import User
from tarian.people.models import Person
from tarian.referrals.models import Referral
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fd1_issue20_refer_a_child_you_cannot_see_journey(
    page: Any, live_server: Any, child: Person, other_school_dsl: User, gateway_worker: User
) -> None:
    base = live_server.url
    sign_in(page, base, other_school_dsl.username)
    page.goto(f"{base}/referrals/new")
    page.locator("#id_concern").fill(
        "Gwen told our after-school club leader that her stepdad hits her when mum is out."
    )
    page.locator("#match-given").fill("Gwen")
    page.locator("#match-family").fill("Pryderch")
    page.locator("#match-dob-day").fill("2")
    page.locator("#match-dob-month").fill("6")
    page.locator("#match-dob-year").fill("2015")
    refer = page.get_by_role("button", name="Refer the child you typed, without seeing their "
                                          "record")
    refer.wait_for()
    expect(page.locator("#match-results")).not_to_contain_text(child.ref)
    check_accessibility(page)
    refer.click()
    chosen = page.locator("#chosen-children")
    expect(chosen).to_contain_text("Gwen Pryderch, as you described them")
    expect(page.locator("#id_concern")).to_have_value("Gwen told our after-school club leader "
                                                      "that her stepdad hits her when mum is out.")
    check_accessibility(page)
    page.get_by_label("What did the child say or show?").fill("'He hits me when mum is out.'")
    page.get_by_label("The child's own words").check()
    page.get_by_label("Not told: telling them could put the child at risk").check()
    page.get_by_label("Not sought: the child may be at risk of significant harm").check()
    page.locator("input[name=priority][value=high]").check()
    page.get_by_role("button", name="Send report", exact=True).last.click()
    page.get_by_text("has been sent").first.wait_for()
    ref = page.url.rstrip("/").split("/")[-1]
    expect(page.locator("#unseen-1")).to_contain_text("Gwen Pryderch")
    for secret in (child.ref, "Gwenllian", "Prydderch", "1 June 2015"):
        expect(page.locator("main")).not_to_contain_text(secret)
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, gateway_worker.username)
    page.goto(f"{base}/referrals/{ref}")
    expect(page.locator("#unseen-1-record")).to_contain_text(child.ref)
    expect(page.locator("#unseen-1-record")).to_contain_text("Gwenllian Prydderch")
    check_accessibility(page)
    page.locator("#unseen-1-confirm").click()
    page.get_by_text("Confirmed: the record is now one of the children").wait_for()
    expect(page.locator("#unseen-1")).to_contain_text("Confirmed")
    check_accessibility(page)
    assert list(Referral.objects.get(ref=ref).children.all()) == [child]
