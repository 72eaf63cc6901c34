"""Journey (FD6): a school's safeguarding lead starts a referral, types what they know of the
child into "Is the child already known?", sees the child with the reasons, and adds them to the
referral with one click, keeping what they had typed. In English and Welsh, checked by axe."""

from __future__ import annotations

from typing import Any

import pytest

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
        page.wait_for_load_state()
    page.goto(f"{base}/referrals/new")
    page.locator("#id_concern").fill("Gwenllian came to school with a bruise on her cheek.")
    page.locator("#match-given").fill("Gwen")
    page.locator("#match-family").fill("Pryderch")
    page.locator("#match-dob-day").fill("1")
    page.locator("#match-dob-month").fill("6")
    page.locator("#match-dob-year").fill("2015")
    card = page.locator("#match-results .govuk-summary-card").first
    card.wait_for()
    assert child.ref in card.inner_text()
    assert "Gwen/Gwenllian" in card.inner_text() and "Pryderch/Prydderch" in card.inner_text()
    check_accessibility(page)
    page.wait_for_timeout(1800)  # let the form's autosave keep the concern typed above
    card.locator(f"a[href$='?child={child.ref}']").click()
    page.wait_for_load_state()
    assert child.ref in page.locator("#id_children").input_value()
    assert "bruise on her cheek" in page.locator("#id_concern").input_value()
    check_accessibility(page)
