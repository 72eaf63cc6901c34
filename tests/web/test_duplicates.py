"""IS3, FD6: the duplicate-review pages: the list, a pair side by side, merge, "not the same
person", a record's merges with undo, and what a merged record's page says."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tarian.agencies.models import User
from tarian.audit.models import AccessEvent
from tarian.people import merging
from tarian.people.models import DuplicateCandidate, DuplicateStatus, Merge, Person
from tests.clients import signed_in
from tests.factories import PersonFactory, UserFactory
from tests.people.test_merging import REASON, candidate, duplicate_of, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def dup(child: Person) -> Person:
    return duplicate_of(child, nhs_number=child.nhs_number)


@pytest.fixture
def pair(child: Person, dup: Person) -> DuplicateCandidate:
    return candidate(child, dup)


def page(client: Any, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.status_code
    return str(response.content.decode())


def test_fd6_home_page_leads_permitted_roles_to_the_review_list(
    team_manager: User, social_worker: User, pair: DuplicateCandidate
) -> None:
    home = page(signed_in(team_manager), "/")
    assert "1 pair of records may be the same person." in home and 'href="/duplicates"' in home
    assert "/duplicates" not in page(signed_in(social_worker), "/")


def test_fd6_review_list_shows_both_records_score_and_reasons(
    team_manager: User, child: Person, dup: Person, pair: DuplicateCandidate
) -> None:
    body = page(signed_in(team_manager), "/duplicates")
    nhs = child.nhs_number
    for text in ("PRYDDERCH, Gwenllian", "PRITCHARD, Gwen", f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}",
                 "1 Jun 2015",
                 "93%", "Same NHS number", f'href="/duplicates/{pair.pk}"',
                 'data-module="moj-sortable-table"'):
        assert text in body, text
    listed = AccessEvent.objects.filter(user=team_manager, action="list", record_kind="merge")
    assert set(listed.values_list("person_id", flat=True)) == {child.pk, dup.pk}


def test_fd6_review_list_is_a_fixed_number_of_queries(
    team_manager: User, child: Person
) -> None:
    client = signed_in(team_manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client, "/duplicates")
        return len(captured)

    candidate(child, duplicate_of(child))
    few = queries()
    for n in range(6):
        candidate(PersonFactory(given_name=f"Plentyn{n}"), PersonFactory(given_name=f"Plant{n}"))
    assert queries() == few


def test_fd6_pair_page_compares_the_two_records(
    team_manager: User, child: Person, dup: Person, pair: DuplicateCandidate
) -> None:
    body = page(signed_in(team_manager), f"/duplicates/{pair.pk}")
    for text in ("Compare possible duplicates", child.ref, dup.ref, "Gwennie", "Agencies involved",
                 "1 now, 1 in all", "0 now, 0 in all", "Merge the records",
                 "They are not the same person", f'value="{child.ref}"'):
        assert text in body, text
    viewed = AccessEvent.objects.filter(user=team_manager, action="view", record_kind="merge")
    assert set(viewed.values_list("person_id", flat=True)) == {child.pk, dup.pk}


def test_is3_merge_form_names_what_is_missing_and_saves_nothing(
    team_manager: User, pair: DuplicateCandidate
) -> None:
    response = signed_in(team_manager).post(
        f"/duplicates/{pair.pk}", {"action": "merge", "reason": "  "}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Choose the record to keep" in body
    assert "Say why these records are the same person" in body
    assert not Merge.objects.exists()


def test_is3_merge_then_undo_from_the_pages(
    team_manager: User, child: Person, dup: Person, pair: DuplicateCandidate
) -> None:
    client = signed_in(team_manager)
    response = client.post(
        f"/duplicates/{pair.pk}", {"action": "merge", "keep": child.ref, "reason": REASON}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{child.ref}/merges"
    merges = page(client, response["Location"])
    assert f"{dup.ref} was merged into {child.ref}" in merges
    assert "Undo this merge" in merges and REASON in merges

    merged_page = page(client, f"/people/{dup.ref}")
    assert "This record was merged into" in merged_page
    assert f'href="/people/{child.ref}"' in merged_page
    assert "govuk-notification-banner" in merged_page
    assert "1 duplicate record has been merged into this record." in page(
        client, f"/people/{child.ref}"
    )
    assert f"/people/{dup.ref}" not in page(client, "/people/search?q=pritchard")

    merge = Merge.objects.get()
    empty = client.post(f"/people/{child.ref}/merges", {"merge": merge.pk,
                                                        f"undo-{merge.pk}-reason": ""})
    assert empty.status_code == 400
    assert "Say why this merge is being undone" in empty.content.decode()
    undone = client.post(f"/people/{child.ref}/merges", {
        "merge": merge.pk, f"undo-{merge.pk}-reason": "Two different children"})
    assert undone.status_code == 302
    after = page(client, undone["Location"])
    assert "is a separate record again" in after and "Undo this merge" not in after
    assert "This record was merged" not in page(client, f"/people/{dup.ref}")
    again = client.post(f"/people/{child.ref}/merges", {
        "merge": merge.pk, f"undo-{merge.pk}-reason": "Again"})
    assert again.status_code == 400 and "already undone" in again.content.decode()
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.OPEN


def test_fd6_not_the_same_person_from_the_page_is_remembered(
    team_manager: User, pair: DuplicateCandidate
) -> None:
    client = signed_in(team_manager)
    response = client.post(f"/duplicates/{pair.pk}", {"action": "not_same", "note": "Twins"})
    assert response.status_code == 302 and response["Location"] == "/duplicates"
    listing = page(client, "/duplicates")
    assert "will not be suggested again" in listing
    assert f"/duplicates/{pair.pk}" not in listing
    assert f"/duplicates/{pair.pk}" in page(client, "/duplicates?status=not_same")
    decided = page(client, f"/duplicates/{pair.pk}")
    assert "that these are not the same person" in decided and "Twins" in decided
    assert "Merge the records" not in decided


def test_fd6_a_decision_on_a_pair_decided_meanwhile_says_so_and_changes_nothing(
    team_manager: User, child: Person, dup: Person, pair: DuplicateCandidate
) -> None:
    colleague = UserFactory(agency=team_manager.agency, roles=["team_manager"],
                            first_name="Siân", last_name="Huws")
    client = signed_in(team_manager)
    page(client, f"/duplicates/{pair.pk}")  # the form is open ...
    merging.mark_not_same(colleague, candidate_id=pair.pk)  # ... when a colleague decides
    response = client.post(
        f"/duplicates/{pair.pk}", {"action": "merge", "keep": child.ref, "reason": REASON}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "This pair has already been decided" in body
    assert "Siân Huws already decided these are not the same person" in body
    assert "Nothing was changed" in body
    dup.refresh_from_db()
    assert dup.merged_into is None and not Merge.objects.exists()


def test_fd6_a_pair_whose_record_was_merged_elsewhere_cannot_be_merged(
    team_manager: User, child: Person, dup: Person
) -> None:
    third = duplicate_of(child, given_name="Gwenlli")
    stale = candidate(dup, third)
    merging.merge_people(team_manager, keep_ref=child.ref, merge_ref=dup.ref, reason=REASON)
    body = page(signed_in(team_manager), f"/duplicates/{stale.pk}")
    assert "has since been merged into another record" in body
    assert "Merge the records" not in body


@pytest.mark.parametrize("persona", ["social_worker", "school_dsl", "other_school_dsl"])
def test_is1_other_roles_get_not_found_on_every_page(
    persona: str, request: pytest.FixtureRequest, team_manager: User, child: Person,
    dup: Person, pair: DuplicateCandidate,
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    merge = merging.merge_people(
        team_manager, keep_ref=child.ref, merge_ref=duplicate_of(child).ref, reason=REASON
    )
    for path in ("/duplicates", f"/duplicates/{pair.pk}", f"/people/{child.ref}/merges"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Pritchard" not in response.content.decode()
    posts = [
        (f"/duplicates/{pair.pk}", {"action": "merge", "keep": child.ref, "reason": REASON}),
        (f"/duplicates/{pair.pk}", {"action": "not_same"}),
        (f"/people/{child.ref}/merges", {"merge": merge.pk, f"undo-{merge.pk}-reason": "No"}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 404, path
    pair.refresh_from_db()
    merge.refresh_from_db()
    assert pair.status == DuplicateStatus.OPEN and merge.undone_at is None
    if persona != "other_school_dsl":  # who may read the child's record is not told of merges
        assert "duplicate record" not in page(client, f"/people/{child.ref}")


def test_is3_merged_record_page_without_access_to_the_kept_record_does_not_name_it(
    team_manager: User, school_dsl: User, child: Person
) -> None:
    """A school that recorded the duplicate still sees it, but not a record it may not see."""
    kept = PersonFactory(given_name="Gwenllian", family_name="Cuddiedig")
    recorded = duplicate_of(kept, created_by_agency=school_dsl.agency)
    merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=recorded.ref, reason=REASON)
    body = page(signed_in(school_dsl), f"/people/{recorded.ref}")
    assert "That record is not shared with your agency" in body
    assert kept.ref not in body and "Cuddiedig" not in body


def test_is3_merges_page_says_what_moved_and_what_stayed(
    team_manager: User, child: Person, dup: Person
) -> None:
    fill(child, dup, team_manager)
    merging.merge_people(team_manager, keep_ref=child.ref, merge_ref=dup.ref, reason=REASON)
    body = page(signed_in(team_manager), f"/people/{dup.ref}/merges")
    moved, left = body.split("Left with the merged record")
    for text in ("1 agency involvement<", "1 address<", "1 document<", "1 referral<",
                 "1 relationship<", "1 other name<", "2 names added as aliases",
                 "1 person named on the record"):  # named on the kept record as well (IS1)
        assert text in moved, text
    for text in ("2 relationships", "1 referral<", "Nothing was deleted"):
        assert text in left, text
    assert "person named on the record" not in left and "break-glass" not in body
