"""Journey (FD6): a school's safeguarding lead starts a referral, types what they know of the
child into "Is the child already known?", sees the child with the reasons, and adds them to the
referral with one click, keeping what they had typed. In English and Welsh, checked by axe."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tarian.agencies.models import User
from tarian.people.models import Person
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("welsh", [False, True], ids=["en", "cy"])
def test_fd6_known_to_any_agency_panel_adds_the_child(
    page: Any, live_server: Any, school_dsl: User, child: Person, welsh: bool
) -> None:
    base = live_server.url
    sign_in(page, base, "elen")
    if welsh:
        page.get_by_role("button", name="Cymraeg").click()
        expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.goto(f"{base}/referrals/new")
    page.locator("#id_concern").fill("Gwenllian came to school with a bruise on her cheek.")
    page.locator("#match-given").fill("Gwen")
    page.locator("#match-family").fill("Pryderch")
    page.locator("#match-dob-day").fill("1")
    page.locator("#match-dob-month").fill("6")
    page.locator("#match-dob-year").fill("2015")
    card = page.locator("#match-results .govuk-summary-card").first
    card.wait_for()
    expect(card).to_contain_text(child.ref)
    expect(card).to_contain_text("Gwen/Gwenllian")
    expect(card).to_contain_text("Pryderch/Prydderch")
    check_accessibility(page)
    # The form's autosave has kept the concern typed above once its "saved" marker shows.
    expect(page.locator("#draft-status.tarian-saved")).to_be_visible()
    card.locator(f"button[value='add_child:{child.ref}']").click()
    expect(page.locator("#chosen-children")).to_contain_text(child.ref)
    expect(page.locator("#id_children")).to_have_value(re.compile(child.ref))
    expect(page.locator("#id_concern")).to_have_value(re.compile("bruise on her cheek"))
    check_accessibility(page)
