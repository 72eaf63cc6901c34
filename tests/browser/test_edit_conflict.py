"""Journey (#18 item 10, IS3): a social worker has one child's record open to edit in two tabs.
The first tab saves a corrected name; the second tab's save shows that the record was changed
in another tab (not "someone else"), what was read, what is saved now and what was typed; its
review starts from the record as saved now with the second tab's change on top, and saving it
keeps both. Again in Welsh. Every page passes axe-core; the test waits for states, never for a
time."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tarian.agencies.models import User
from tarian.people.models import Person
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH = {
    "given": "Given name",
    "known": "Known as",
    "upn": "Unique pupil number",
    "reason": "Why are you changing this record?",
    "save": "Save changes",
    "review": "Review my changes again",
    "saved": "The record was saved.",
    "heading": "This record was changed in another tab or window",
}
WELSH = {
    "given": "Enw cyntaf",
    "known": "A elwir yn",
    "upn": "Rhif disgybl unigryw",
    "reason": "Pam rydych chi'n newid y cofnod hwn?",
    "save": "Cadw'r newidiadau",
    "review": "Adolygu fy newidiadau eto",
    "saved": "Cafodd y cofnod ei gadw.",
    "heading": "Newidiwyd y cofnod hwn mewn tab neu ffenestr arall",
}


def _save(tab: Any, words: dict[str, str], reason: str) -> None:
    tab.get_by_label(words["reason"]).fill(reason)
    tab.get_by_role("button", name=words["save"]).click()


def _two_tabs_edit(
    first: Any,
    base: str,
    child: Person,
    words: dict[str, str],
    changes: tuple[tuple[str, str], tuple[str, str]],
) -> None:
    """Both tabs open the form; the first saves one change, the second another, meets the
    conflict page, reviews and saves."""
    second = first.context.new_page()
    for tab in (first, second):
        tab.goto(f"{base}/people/{child.ref}/edit")
        expect(tab.get_by_label(words["reason"])).to_be_visible()
    (first_field, first_value), (second_field, second_value) = changes
    first.get_by_label(words[first_field]).fill(first_value)
    _save(first, words, "Corrected from the birth certificate")
    first.wait_for_url(f"{base}/people/{child.ref}")
    expect(first.get_by_text(words["saved"])).to_be_visible()

    second.get_by_label(words[second_field]).fill(second_value)
    expect(
        second.get_by_text("Saved as a draft" if words is ENGLISH else "Wedi'i gadw fel drafft")
    ).to_be_visible()
    _save(second, words, "Known by this at school")
    expect(second.get_by_role("heading", name=words["heading"])).to_be_visible()
    expect(second.locator("main")).not_to_contain_text("Someone else")
    expect(second.locator("table")).to_contain_text(first_value)
    expect(second.locator("table")).to_contain_text(second_value)
    check_accessibility(second)
    second.get_by_role("link", name=words["review"]).click()
    expect(second.get_by_label(words[first_field])).to_have_value(first_value)
    expect(second.get_by_label(words[second_field])).to_have_value(second_value)
    check_accessibility(second)
    second.get_by_role("button", name=words["save"]).click()
    second.wait_for_url(f"{base}/people/{child.ref}")
    expect(second.get_by_text(words["saved"])).to_be_visible()
    second.close()


def test_two_tabs_of_one_user_keep_both_saved_changes(
    page: Any, live_server: Any, social_worker: User, child: Person
) -> None:
    base = live_server.url
    sign_in(page, base, "owain")
    _two_tabs_edit(page, base, child, ENGLISH, (("given", "Gwenllïan"), ("known", "Gwen")))
    child.refresh_from_db()
    assert (child.given_name, child.known_as, child.version) == ("Gwenllïan", "Gwen", 3)

    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    _two_tabs_edit(page, base, child, WELSH, (("known", "Gwenni"), ("upn", "A123456789012")))
    child.refresh_from_db()
    assert (child.given_name, child.known_as, child.upn) == ("Gwenllïan", "Gwenni", "A123456789012")
    assert child.version == 5
