"""IS1, IS3: a merge never opens up a restricted record (issue 18, item 2).

Merging a restricted record A into an unrestricted B left B unrestricted, so a Gateway worker
not named on A listed and downloaded A's confidential document through B. The record kept now
inherits the strictest restriction and the people named on it, the merge says so (its record,
the API's answer, the page that confirms it and the record's merges), and undoing the merge
puts back what was there before.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessEvent, RecordVersion
from tarian.documents.models import Document
from tarian.documents.services import upload_document
from tarian.people import merging, restriction
from tarian.people.models import DuplicateCandidate, Merge, Person, RestrictedAccess
from tests.clients import signed_in
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
SECRET_TITLE = "Confidential: account given to the police by a relative"
REASON = "The same child: NHS number and date of birth agree, confirmed with the school."


@pytest.fixture
def restricted(team_manager: User) -> Person:
    """Record A: restricted, the team manager named on it, with a confidential document."""
    person = PersonFactory(given_name="Gwen", family_name="Prydderch", nhs_number="")
    restriction.set_restriction(
        team_manager,
        person=person,
        restricted=True,
        reason="A member of staff's own family",
        named_usernames=[],
    )
    upload_document(
        team_manager,
        person_ref=person.ref,
        title=SECRET_TITLE,
        original_name="statement.txt",
        stream=io.BytesIO(b"A confidential note.\n"),
    )
    person.refresh_from_db()
    return person


@pytest.fixture
def open_record(child: Person) -> Person:
    """Record B: the same child, not restricted."""
    return child


@pytest.fixture
def pair(restricted: Person, open_record: Person) -> DuplicateCandidate:
    first, second = sorted([restricted, open_record], key=lambda p: p.pk)
    return DuplicateCandidate.objects.create(
        person_a=first,
        person_b=second,
        score=0.95,
        reasons=["Same date of birth"],
        found_at=dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC),
    )


def _api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def _document(person: Person) -> Document:
    return Document.objects.get(title=SECRET_TITLE)


def _sees_the_document(user: User, through: Person) -> bool:
    """Can ``user`` list or download the confidential document, through page or API?"""
    document = _document(through)
    api, web = _api(user), signed_in(user)
    listed = api.get(f"/api/v1/people/{through.ref}/documents")
    record = web.get(f"/people/{through.ref}")
    answers = [
        SECRET_TITLE in listed.content.decode(),
        SECRET_TITLE in record.content.decode(),
        api.get(f"/api/v1/documents/{document.pk}/content").status_code == 200,
        web.get(f"/documents/{document.pk}").status_code == 200,
    ]
    assert len(set(answers)) == 1, answers  # the page and the API agree
    return answers[0]


def _merge(
    channel: str, manager: User, pair: DuplicateCandidate, keep: Person, merged: Person
) -> tuple[Merge, str]:
    """Merge through the page or the API; the merge and what the manager was told."""
    if channel == "web":
        client = signed_in(manager)
        response = client.post(
            f"/duplicates/{pair.pk}", {"action": "merge", "keep": keep.ref, "reason": REASON}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        told = client.get(response["Location"]).content.decode()
    else:
        response = _api(manager).post(
            f"/api/v1/people/{keep.ref}/merge",
            {"merge": merged.ref, "reason": REASON},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["restriction_inherited"] is True
        told = response.content.decode()
    return Merge.objects.get(kept=keep, merged=merged), told


@pytest.mark.parametrize("channel", ["web", "api"])
def test_is1_merging_a_restricted_record_restricts_the_record_kept(
    channel: str,
    team_manager: User,
    gateway_worker: User,
    restricted: Person,
    open_record: Person,
    pair: DuplicateCandidate,
) -> None:
    assert not _sees_the_document(gateway_worker, restricted)
    merge, told = _merge(channel, team_manager, pair, keep=open_record, merged=restricted)

    open_record.refresh_from_db()
    assert open_record.is_restricted and merge.restriction_inherited
    assert Document.objects.get(title=SECRET_TITLE).person == open_record
    # The worker not named on A reads nothing of it through B, on the page or the API ...
    assert not _sees_the_document(gateway_worker, open_record)
    page = signed_in(gateway_worker).get(f"/people/{open_record.ref}")
    assert page.status_code == 302 and page["Location"].endswith("/break-glass")
    assert _api(gateway_worker).get(f"/api/v1/people/{open_record.ref}").status_code == 403
    # ... while the manager named on A still does, through B.
    assert RestrictedAccess.objects.filter(person=open_record, user=team_manager).exists()
    assert _sees_the_document(team_manager, open_record)
    # The merge says so: in what the manager was told, on the record's merges and in its
    # history (the restriction's own version, naming who may see it).
    if channel == "web":
        assert f"{open_record.ref} is now a restricted record, because {restricted.ref}" in told
    merges = signed_in(team_manager).get(f"/people/{open_record.ref}/merges").content.decode()
    assert f"{open_record.ref} is now a restricted record" in merges
    version = RecordVersion.objects.get(
        record_kind="restriction", record_id=open_record.ref, data__merge=merge.pk
    )
    assert version.data["restricted"] is True
    assert version.data["named"] == [team_manager.username]
    assert AccessEvent.objects.filter(
        record_kind="merge", person_id=open_record.pk, detail__restriction_inherited=True
    ).exists()


@pytest.mark.parametrize("channel", ["web", "api"])
def test_is1_undoing_the_merge_puts_the_restrictions_back(
    channel: str,
    team_manager: User,
    gateway_worker: User,
    restricted: Person,
    open_record: Person,
    pair: DuplicateCandidate,
) -> None:
    merge, _ = _merge("api", team_manager, pair, keep=open_record, merged=restricted)
    if channel == "web":
        client = signed_in(team_manager)
        response = client.post(
            f"/people/{open_record.ref}/merges",
            {"merge": merge.pk, f"undo-{merge.pk}-reason": "Twins"},
        )
        assert response.status_code == 302
        told = client.get(response["Location"]).content.decode()
        assert f"{open_record.ref} is no longer restricted" in told
    else:
        response = _api(team_manager).post(
            f"/api/v1/merges/{merge.pk}/undo", {"reason": "Twins"}, content_type="application/json"
        )
        assert response.status_code == 200
    open_record.refresh_from_db()
    restricted.refresh_from_db()
    assert (open_record.is_restricted, restricted.is_restricted) == (False, True)
    assert not RestrictedAccess.objects.filter(person=open_record).exists()
    assert Document.objects.get(title=SECRET_TITLE).person == restricted
    # B is open to the worker again, and A's document is not on it.
    assert signed_in(gateway_worker).get(f"/people/{open_record.ref}").status_code == 200
    assert not _sees_the_document(gateway_worker, restricted)
    assert RecordVersion.objects.filter(
        record_kind="restriction",
        record_id=open_record.ref,
        data__merge_undone=merge.pk,
        data__restricted=False,
    ).exists()


def test_is1_a_restriction_set_after_the_merge_stays_when_it_is_undone(
    team_manager: User,
    restricted: Person,
    open_record: Person,
    pair: DuplicateCandidate,
) -> None:
    merge = merging.merge_people(
        team_manager, keep_ref=open_record.ref, merge_ref=restricted.ref, reason=REASON
    )
    open_record.refresh_from_db()
    restriction.set_restriction(
        team_manager,
        person=open_record,
        restricted=True,
        reason="Now in the local news",
        named_usernames=[],
    )
    merging.undo_merge(team_manager, merge_id=merge.pk, reason="Twins after all")
    open_record.refresh_from_db()
    assert open_record.is_restricted  # the manager's own decision stands
    html = signed_in(team_manager).get(f"/people/{open_record.ref}/merges").content.decode()
    assert "Undoing the merge lifted this restriction, unless it had been changed since" in html


def test_is1_both_restricted_names_everyone_named_on_either(
    team_manager: User,
    childrens_services: Agency,
    restricted: Person,
    open_record: Person,
) -> None:
    other = UserFactory(username="rhian", agency=childrens_services, roles=["team_manager"])
    restriction.set_restriction(
        other,
        person=open_record,
        restricted=True,
        reason="High-profile case",
        named_usernames=[team_manager.username],
    )
    merge = merging.merge_people(
        team_manager, keep_ref=open_record.ref, merge_ref=restricted.ref, reason=REASON
    )
    assert not merge.restriction_inherited  # it was restricted already
    named = set(
        RestrictedAccess.objects.filter(person=open_record).values_list("user__username", flat=True)
    )
    assert named == {team_manager.username, other.username}


def test_is1_grants_left_on_an_open_record_name_nobody_on_a_restricted_one(
    team_manager: User,
    gateway_worker: User,
    open_record: Person,
) -> None:
    """A record once restricted keeps the grants of then; merged into a restricted record they
    must not name anyone on it (nor let an old break-glass opening in)."""
    was_restricted = PersonFactory(given_name="Gwen", family_name="Prydderch", nhs_number="")
    now = timezone.now()
    RestrictedAccess.objects.create(
        person=was_restricted,
        user=gateway_worker,
        granted_by=team_manager,
        granted_at=now,
        reason="Then",
    )
    restriction.set_restriction(
        team_manager,
        person=open_record,
        restricted=True,
        reason="A member of staff's own family",
        named_usernames=[],
    )
    merging.merge_people(
        team_manager, keep_ref=open_record.ref, merge_ref=was_restricted.ref, reason=REASON
    )
    assert not RestrictedAccess.objects.filter(person=open_record, user=gateway_worker).exists()
    assert signed_in(gateway_worker).get(f"/people/{open_record.ref}").status_code == 302


def test_is1_the_pair_page_warns_before_a_restricted_record_is_merged(
    team_manager: User,
    pair: DuplicateCandidate,
) -> None:
    html = signed_in(team_manager).get(f"/duplicates/{pair.pk}").content.decode()
    assert "Whichever record you keep will be restricted too" in html


def test_vc2_the_warning_and_the_merges_page_are_in_welsh(
    team_manager: User, restricted: Person, open_record: Person, pair: DuplicateCandidate
) -> None:
    client = signed_in(team_manager, "cy")
    assert "Bydd pa gofnod bynnag y byddwch yn ei gadw yn gyfyngedig hefyd" in (
        client.get(f"/duplicates/{pair.pk}").content.decode()
    )
    merging.merge_people(
        team_manager, keep_ref=open_record.ref, merge_ref=restricted.ref, reason=REASON
    )
    html = client.get(f"/people/{open_record.ref}/merges").content.decode()
    assert f"Mae {open_record.ref} bellach yn gofnod cyfyngedig" in html
