"""Journey: a team manager opens the possible duplicates from the home page, compares a pair,
merges them with a reason, sees the merged record point to the one kept, then undoes the merge
from the kept record (IS3, FD6). Every page passes axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tarian.agencies.models import User
from tarian.people.models import DuplicateCandidate, Merge, Person
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in
from tests.people.test_merging import candidate, duplicate_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dup(child: Person) -> Person:
    return duplicate_of(child, nhs_number=child.nhs_number)


@pytest.fixture
def pair(child: Person, dup: Person) -> DuplicateCandidate:
    return candidate(child, dup)


def test_team_manager_merges_a_duplicate_and_undoes_it(
    page: Any, live_server: Any, team_manager: User, child: Person, dup: Person,
    pair: DuplicateCandidate,
) -> None:
    base = live_server.url
    sign_in(page, base, "catrin")
    page.get_by_role("link", name="Review possible duplicates").click()
    page.wait_for_url(f"{base}/duplicates")
    expect(page.get_by_text("93%")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name=re.compile("Compare")).click()
    page.wait_for_url(f"{base}/duplicates/{pair.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare possible duplicates")
    check_accessibility(page)
    page.get_by_role("button", name="Merge the records").click()
    expect(page.get_by_text("Choose the record to keep").first).to_be_visible()
    expect(page.get_by_text("Say why these records are the same person").first).to_be_visible()
    check_accessibility(page)
    page.get_by_label(f"Keep Gwenllian Prydderch ({child.ref})").check()
    page.get_by_label("Why are these the same person?").fill(
        "Same NHS number and date of birth; the school knows her as Gwen Pritchard"
    )
    page.get_by_role("button", name="Merge the records").click()
    page.wait_for_url(f"{base}/people/{child.ref}/merges")
    expect(page.get_by_text(f"{dup.ref} was merged into {child.ref}")).to_be_visible()
    check_accessibility(page)

    page.goto(f"{base}/people/{dup.ref}")
    expect(page.get_by_text("This record was merged into")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name=f"Gwenllian Prydderch ({child.ref})").click()
    page.wait_for_url(f"{base}/people/{child.ref}")
    expect(page.get_by_text("Gwen Pritchard").first).to_be_visible()  # now an alias of the kept
    page.get_by_role("link", name="See merges").click()
    page.wait_for_url(f"{base}/people/{child.ref}/merges")
    page.get_by_label("Why are you undoing this merge?").fill(
        "The school confirmed these are twins"
    )
    page.get_by_role("button", name=re.compile("Undo this merge")).click()
    page.wait_for_url(f"{base}/people/{child.ref}/merges")
    expect(page.get_by_text(f"{dup.ref} is a separate record again")).to_be_visible()
    check_accessibility(page)
    merge = Merge.objects.get()
    assert merge.undone_at is not None
    assert merge.undo_reason == "The school confirmed these are twins"
    dup.refresh_from_db()
    assert dup.merged_into is None
