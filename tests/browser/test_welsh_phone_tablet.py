"""Journey (#20 item 11, VC2, FD3, FD4): a Gateway worker and a police supervisor who read
Tarian in Welsh open their queues on a phone (390 x 844) and a tablet (768 x 1024). The queue
fits the screen (no sideways scrolling), the phone's menu folds behind a "Dewislen" button, the
waiting times, agency names and the sortable table's hint are in Welsh, and every page passes
axe-core."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tarian.agencies.models import Agency, User
from tarian.people.models import Person
from tarian.referrals import services
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in
from tests.factories import InvolvementFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
REFERRAL = {
    "concern": "Gwenllian often arrives hungry and tired at school, and said there is no food.",
    "voice_of_child": "'There's no food at home.'", "voice_method": "own_words",
    "parental_awareness": "aware", "consent": "given", "priority": "standard",
}


@pytest.fixture
def queues(
    child: Person, school_dsl: User, cru_officer: User, gateway_worker: User, police: Agency,
    school: Agency, childrens_services: Agency,
) -> User:
    """Referrals waiting for the Gateway (one sent two days and three hours ago, four hours
    allowed) and for a police supervisor,
    from agencies with Welsh names; the supervisor ``sara``."""
    police.name_cy = "Heddlu Gaerwen"
    police.save()
    childrens_services.name_cy = "Gwasanaethau Plant Gaerwen"
    childrens_services.save()
    school.name = "Aberwen Primary School"
    school.name_cy = "Ysgol Gynradd Gymraeg Aberwen"
    school.save()
    sibling = PersonFactory(given_name="Dafydd-Alexander", family_name="Prydderch-Llewellyn")
    InvolvementFactory(person=sibling, agency=school, role="school")
    two_days_ago = timezone.now() - dt.timedelta(days=2, hours=3)
    # High priority: 4 hours, counted through nights and weekends, so late whatever the day.
    services.submit_referral(school_dsl, data={**REFERRAL, "children": [child.ref, sibling.ref],
                                               "priority": "high"}, now=two_days_ago)
    services.submit_referral(school_dsl, data={**REFERRAL, "children": [child.ref]})
    supervisor = UserFactory(username="sara", agency=police, roles=["cru_supervisor"])
    for _ in range(2):
        services.submit_referral(cru_officer, data={**REFERRAL, "children": [sibling.ref],
                                                    "priority": "high"})
    return supervisor


def in_welsh(page: Any, base: str, username: str) -> None:
    sign_in(page, base, username)
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")


def fits(page: Any) -> None:
    """Nothing wider than the screen: the page does not scroll sideways."""
    width, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wider = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' +
                             Math.round(e.getBoundingClientRect().right))"""
    )
    assert width <= client, f"{page.url}: {width} px wide on a {client} px screen: {wider}"


def open_queue(page: Any, base: str, viewport: dict[str, int]) -> None:
    """Open the referrals page through the menu: on a phone it is folded behind a button."""
    page.set_viewport_size(viewport)
    page.goto(f"{base}/")
    menu = page.get_by_role("button", name="Dewislen")
    link = page.get_by_role("link", name="Adroddiadau", exact=True)
    if viewport["width"] < 641:
        expect(menu).to_be_visible()
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(link).to_be_hidden()
        fits(page)
        check_accessibility(page)
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
    else:
        expect(menu).to_be_hidden()
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(f"{base}/referrals")


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_issue20_gateway_queue_in_welsh_fits_a_phone_and_a_tablet(
    page: Any, live_server: Any, queues: User, viewport: dict[str, int]
) -> None:
    base = live_server.url
    in_welsh(page, base, "nia")
    open_queue(page, base, viewport)
    expect(page.get_by_role("heading", name="Ciw'r Porth")).to_be_visible()
    expect(page.locator("header")).to_contain_text("Gwasanaethau Plant Gaerwen")
    table = page.locator("table.tarian-queue")
    expect(table).to_contain_text("Ysgol Gynradd Gymraeg Aberwen")
    expect(table).to_contain_text("2 ddiwrnod, 3 awr")
    expect(table).to_contain_text("Yn hwyr o 1 diwrnod, 23 awr")
    expect(table.locator("caption")).to_contain_text("gallwch drefnu'r tabl")
    expect(page.get_by_text("Aberwen Primary School")).to_have_count(0)
    fits(page)
    check_accessibility(page)
    # Sorting still works, and says so in Welsh.
    page.locator("table.tarian-queue th button").first.click()
    expect(page.get_by_role("status")).to_contain_text("Trefnu yn ôl")
    fits(page)


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_issue20_police_supervisor_queue_in_welsh_fits_a_phone_and_a_tablet(
    page: Any, live_server: Any, queues: User, viewport: dict[str, int]
) -> None:
    base = live_server.url
    in_welsh(page, base, "sara")
    open_queue(page, base, viewport)
    expect(page.get_by_role("heading", name="Yn aros am eich adolygiad")).to_be_visible()
    table = page.locator("table.tarian-queue")
    expect(table).to_contain_text("Heddlu Gaerwen")
    expect(table).to_contain_text("Uchel")
    fits(page)
    check_accessibility(page)
    page.locator("table.tarian-queue a.govuk-link").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    fits(page)
