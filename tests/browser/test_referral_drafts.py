"""Journey (#18 item 9): a school DSL starts a referral from one child's record and leaves it
unsent; a referral opened from a brother's record starts empty; the home page lists the unsent
referral, in English and Welsh; resuming it brings back what was typed, and discarding it
leaves a fresh form. Every page passes axe-core. The test waits for states ("saved", a page),
never for a time."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tarian.agencies.models import Agency, User
from tarian.people.models import Person
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONCERN = "Gwenllian said her uncle hit her with a belt on Saturday."


def test_referral_drafts_stay_with_their_child_and_can_be_discarded(
    page: Any, live_server: Any, school_dsl: User, child: Person, school: Agency
) -> None:
    brother = PersonFactory(given_name="Dafydd", family_name="Llwyd")
    InvolvementFactory(person=brother, agency=school)
    base = live_server.url
    sign_in(page, base, school_dsl.username)

    page.goto(f"{base}/people/{child.ref}")
    page.get_by_role("link", name="Make a report about this person").click()
    expect(page.locator("#id_children")).to_have_value(child.ref)
    page.get_by_label("What is the concern?").fill(CONCERN)
    expect(page.get_by_text("Saved as a draft")).to_be_visible()
    check_accessibility(page)

    page.goto(f"{base}/people/{brother.ref}")
    page.get_by_role("link", name="Make a report about this person").click()
    expect(page.locator("#id_children")).to_have_value(brother.ref)
    expect(page.get_by_label("What is the concern?")).to_have_value("")
    expect(page.get_by_text("We restored the report")).to_have_count(0)

    page.goto(f"{base}/")
    drafts = page.locator("#drafts")
    expect(drafts).to_contain_text(f"Unsent report about Gwenllian Prydderch ({child.ref})")
    expect(drafts).not_to_contain_text(brother.ref)
    check_accessibility(page)
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("#drafts")).to_contain_text("Adroddiad heb ei anfon am Gwenllian")
    check_accessibility(page)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator("#drafts").get_by_role("link", name="Resume").click()
    expect(page.get_by_label("What is the concern?")).to_have_value(CONCERN)
    expect(page.get_by_text("We restored the report you had not sent")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Discard it and start again").click()
    expect(page.get_by_text("The draft was discarded.")).to_be_visible()
    expect(page.locator("#id_children")).to_have_value(child.ref)
    expect(page.get_by_label("What is the concern?")).to_have_value("")
    check_accessibility(page)

    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Your unsent drafts")).to_have_count(0)
