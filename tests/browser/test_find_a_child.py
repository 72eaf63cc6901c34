"""Journey: a social worker signs in, finds a child by name and opens their record, in English
and in Welsh, and every page passes axe-core (VC2, FD6, IS2)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tarian.agencies.models import User
from tarian.people.models import Person
from tests.browser.conftest import check_accessibility
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def family(school: Any, social_worker: User) -> Person:
    child = PersonFactory(given_name="Gwenllian", family_name="Prydderch")
    InvolvementFactory(person=child, agency=school, role="school")
    PersonFactory(given_name="Dafydd", family_name="Prydderch")
    return child


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    check_accessibility(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("Tarian-test-password-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_social_worker_finds_child_and_opens_record_in_english(
    page: Any, live_server: Any, family: Person
) -> None:
    base = live_server.url
    sign_in(page, base, "owain")
    check_accessibility(page)
    page.get_by_role("searchbox", name="Find a person").fill("gwenllian prydd")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="PRYDDERCH, Gwenllian").click()
    page.wait_for_url(f"{base}/people/{family.ref}")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Gwenllian Prydderch"))
    expect(page.get_by_text("Ysgol Aberwen").first).to_be_visible()
    check_accessibility(page)


def test_type_ahead_search_shows_results_as_you_type(
    page: Any, live_server: Any, family: Person
) -> None:
    base = live_server.url
    sign_in(page, base, "owain")
    page.goto(f"{base}/people/search")
    page.get_by_role("searchbox").press_sequentially("prydd", delay=40)
    page.get_by_text("2 people found").wait_for()
    check_accessibility(page)


def test_social_worker_finds_child_in_welsh(page: Any, live_server: Any, family: Person) -> None:
    base = live_server.url
    sign_in(page, base, "owain")
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    check_accessibility(page)
    page.get_by_role("searchbox").first.fill("Gwenllian")
    page.get_by_role("button", name="Chwilio").click()
    page.get_by_role("link", name="PRYDDERCH, Gwenllian").click()
    page.wait_for_url(f"{base}/people/{family.ref}")
    expect(page.get_by_role("heading", name="Asiantaethau sy'n ymwneud")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_fd6_vc2_a_misspelt_double_surname_on_a_phone_in_welsh_says_why_and_pages(
    page: Any, live_server: Any, family: Person
) -> None:
    """Issue 20 item 7: "Rhianon Bowen Shaw" finds Rhiannon Bowen-Shaw and says why, in Welsh,
    on a 390 px phone with nothing wider than the screen; "Jones" counts everyone and pages."""
    PersonFactory(given_name="Rhiannon", family_name="Bowen-Shaw")
    for n in range(30):
        PersonFactory(given_name=f"Plentyn{n}", family_name="Jones")
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, "owain")
    page.goto(f"{base}/people/search")
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_role("searchbox").first.fill("Rhianon Bowen Shaw")
    page.get_by_role("button", name="Chwilio").click()
    expect(page.get_by_text("Wedi dod o hyd i 1 person")).to_be_visible()
    expect(page.get_by_text("enw cyntaf ar ffurf gyfatebol: Rhianon/Rhiannon")).to_be_visible()
    expect(page.get_by_text("yr un cyfenw: Bowen-Shaw")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert overflow, "the results are wider than a phone"
    check_accessibility(page)
    page.get_by_role("searchbox").first.fill("Jones")
    page.get_by_role("button", name="Chwilio").click()
    expect(page.get_by_text("Wedi dod o hyd i 30 o bobl")).to_be_visible()
    expect(page.get_by_text("yn dangos 1 i 25")).to_be_visible()
    page.get_by_role("link", name="Tudalen nesaf").click()
    expect(page.get_by_text("Tudalen 2 o 2")).to_be_visible()
    expect(page.get_by_text("yn dangos 26 i 30")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("BOWEN-SHAW"))).to_have_count(0)
    check_accessibility(page)
