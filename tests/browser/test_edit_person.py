"""Journey: a social worker corrects a child's details; the form autosaves, shows "saved", and
restores what was typed after the page is left; the saved change appears in the record's history,
by the field's label, what it was and what it is now (IS3, #20 item 10). Every page passes
axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tarian.agencies.models import RecordKind, User
from tarian.audit.services import record_version
from tarian.people.models import Person
from tarian.people.services import snapshot
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_autosaves_restores_and_saves_with_reason(
    page: Any, live_server: Any, social_worker: User, child: Person
) -> None:
    base = live_server.url
    # The child's first version, as the services keep it when they record someone.
    record_version(social_worker, record_kind=RecordKind.PERSON, record_id=child.ref,
                   version=child.version, data=snapshot(child), reason="New record",
                   person_id=child.pk)
    sign_in(page, base, "owain")
    page.goto(f"{base}/people/{child.ref}")
    page.get_by_role("link", name="Change details").click()
    page.wait_for_url(f"{base}/people/{child.ref}/edit")
    check_accessibility(page)
    page.get_by_label("Known as").fill("Gwen")
    page.get_by_text("Saved as a draft").wait_for()
    page.goto(f"{base}/people/{child.ref}/edit")
    expect(page.get_by_label("Known as")).to_have_value("Gwen")
    expect(page.get_by_text("We restored the changes you had not saved")).to_be_visible()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Say why you are changing this record").first).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Why are you changing this record?").fill("Known as Gwen at school")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{base}/people/{child.ref}")
    expect(page.get_by_text("The record was saved")).to_be_visible()
    # Sending the form stopped the autosave: no stale draft is left to restore.
    page.goto(f"{base}/people/{child.ref}/edit")
    expect(page.get_by_label("Known as")).to_have_value("Gwen")
    expect(page.get_by_text("We restored the changes you had not saved")).to_have_count(0)
    page.goto(f"{base}/people/{child.ref}")
    page.get_by_role("link", name="Changes to this record").click()
    expect(page.get_by_text("Known as Gwen at school")).to_be_visible()
    changed = page.locator(".tarian-version").first
    expect(changed.get_by_role("heading", name="What changed")).to_be_visible()
    row = changed.locator(".tarian-changes").first.locator(
        ".govuk-summary-list__row", has_text="Known as"
    )
    expect(row.locator("del")).to_have_text("Not recorded")
    expect(row.locator("ins")).to_have_text("Gwen")
    expect(row).to_contain_text("Was: Not recorded")
    expect(row).to_contain_text("Now: Gwen")
    check_accessibility(page)
