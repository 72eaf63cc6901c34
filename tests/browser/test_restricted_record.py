"""Journey: a Gateway worker finds that a child's record is restricted, breaks the glass with a
reason and sees the record; the team manager is notified (IS1, IS4). In Welsh too; every page
passes axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tarian.agencies.models import User
from tarian.people import restriction
from tarian.people.models import Person
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def restricted(team_manager: User, gateway_worker: User, child: Person) -> Person:
    return restriction.set_restriction(
        team_manager, person=child, restricted=True,
        reason="The child's mother works in the Gateway team", named_usernames=[],
    )


def test_break_glass_journey(page: Any, live_server: Any, restricted: Person) -> None:
    base = live_server.url
    sign_in(page, base, "nia")
    page.get_by_role("searchbox", name="Find a person").fill("gwenllian")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("A restricted record also matches your search").wait_for()
    check_accessibility(page)
    page.get_by_role("link", name=f"Restricted record {restricted.ref}").click()
    expect(page.get_by_role("button", name="Open the record")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_text("Say why you need to see this record now").first).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Why do you need to see this record now?").fill(
        "Child at the front door now; checking for a protection plan"
    )
    page.get_by_role("button", name="Open the record").click()
    page.wait_for_url(f"{base}/people/{restricted.ref}")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Gwenllian"))


def test_team_manager_sees_the_alert_in_welsh(
    page: Any, live_server: Any, restricted: Person, gateway_worker: User
) -> None:
    restriction.open_restricted_record(
        gateway_worker, ref=restricted.ref,
        reason="Child at the front door now; checking for a protection plan",
    )
    base = live_server.url
    sign_in(page, base, "catrin")
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.goto(f"{base}/notifications")
    expect(page.get_by_text("opened a restricted record").first).to_be_visible()
    check_accessibility(page)
    page.goto(f"{base}/people/{restricted.ref}/restriction")
    check_accessibility(page)
