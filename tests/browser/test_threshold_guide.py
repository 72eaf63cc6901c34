"""Journey (FD7): a system administrator opens the threshold guide from the home page, adds a
level with "add another", is told what is missing, saves it with a reason, and a school's DSL
sees the new level beside the referral form, in English and in Welsh. Every page passes
axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tarian.agencies.models import Agency, User
from tarian.referrals.models import ThresholdLevel
from tests.browser.conftest import check_accessibility
from tests.clients import signed_in
from tests.factories import UserFactory
from tests.referrals.test_threshold_guide import REASON

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def system_admin(childrens_services: Agency) -> User:
    return UserFactory(username="alun", agency=childrens_services, roles=["system_admin"])


def sign_in_as(page: Any, base: str, user: User, language: str = "en") -> None:
    """Sign in with a session that has passed two-factor authentication (set up elsewhere)."""
    session = signed_in(user, language).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base},
    ])


def test_fd7_system_admin_adds_a_level_and_the_referral_form_shows_it(
    page: Any, live_server: Any, system_admin: User, school_dsl: User
) -> None:
    base = live_server.url
    sign_in_as(page, base, system_admin)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Change the threshold guide (levels of need)").click()
    page.wait_for_url(f"{base}/settings/threshold-guide")
    check_accessibility(page)

    page.get_by_role("button", name="Add another level").click()
    added = page.get_by_role("group", name=re.compile(r"^Level 5 of 5"))
    in_use = added.get_by_label("In use (offered on the referral and decision forms)")
    assert in_use.is_checked()  # a new level starts in use, as it does without JavaScript
    expect(added.get_by_label("Code")).to_have_value("")
    added.get_by_label("Code").fill("edge_of_care")
    added.get_by_label("Title in English").fill("Level 5: edge of care")
    added.get_by_label("Description in English").fill("A child who may need to be looked after.")
    page.get_by_role("button", name="Save the threshold guide").click()
    expect(page.get_by_role("link", name="Level 5: enter the title in Welsh")).to_be_visible()
    expect(page.get_by_role("link", name="Level 5: enter the description in Welsh as well as in "
                                          "English")).to_be_visible()
    reason = page.get_by_role("link", name="Say why you are changing the threshold guide")
    expect(reason).to_be_visible()
    check_accessibility(page)

    # Remove level 1 (no decision records it), then fill in what was missing.
    page.get_by_role("button", name="Remove level 1").click()
    added = page.get_by_role("group", name=re.compile(r"^Level 4 of 4"))
    expect(added.get_by_label("Code")).to_have_value("edge_of_care")
    added.get_by_label("Title in Welsh").fill("Lefel 5: ar gyrion gofal")
    added.get_by_label("Description in Welsh").fill("Plentyn a allai fod angen derbyn gofal.")
    page.get_by_label("Why are you changing the threshold guide?").fill(REASON)
    page.get_by_role("button", name="Save the threshold guide").click()
    page.wait_for_url(f"{base}/settings/threshold-guide")
    expect(page.get_by_text("The threshold guide is saved")).to_be_visible()
    check_accessibility(page)
    assert list(ThresholdLevel.objects.values_list("code", "is_active")) == [
        ("additional", True), ("complex", True), ("acute", True), ("edge_of_care", True)
    ]

    for language, title in (("en", "Level 5: edge of care"), ("cy", "Lefel 5: ar gyrion gofal")):
        page.context.clear_cookies()
        sign_in_as(page, base, school_dsl, language)
        page.goto(f"{base}/referrals/new")
        guide = page.locator("aside.tarian-guide")
        expect(guide.get_by_text(title)).to_be_visible()
        expect(guide.get_by_text("Level 1: universal")).to_have_count(0)
        check_accessibility(page)
