"""IS3, FD6: merging a duplicate record is permitted to few, audited, and exactly reversible.

The rows a merge must move are listed here by hand (``PERSON_ROWS``), not taken from the code
under test, and a separate test walks every model so that a new foreign key to a person cannot
be forgotten by either.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, connections, models
from django.utils import timezone

from tarian.agencies.models import User
from tarian.audit.models import AccessEvent, RecordVersion
from tarian.deadlines.models import Deadline
from tarian.documents.models import Document
from tarian.enquiries.models import ChildSeen, Enquiry
from tarian.errors import Conflict, Forbidden, NotFound, Refused
from tarian.meetings.models import Meeting, MeetingDecision
from tarian.people import duplicates, merging, restriction, search, selectors, services
from tarian.people.models import (
    Address,
    BreakGlass,
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    HouseholdMember,
    Involvement,
    InvolvementRole,
    MatchKey,
    Merge,
    NameKind,
    Person,
    PersonName,
    Relationship,
    RelationshipKind,
    Residence,
    RestrictedAccess,
)
from tarian.referrals.models import Referral, UnseenChild
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, UserFactory
from tests.security.conftest import make_referral, store_document

pytestmark = pytest.mark.django_db

REASON = "Same NHS number and date of birth; the school confirmed her previous surname."

# Every foreign key to a person whose rows a merge moves, named independently of the code.
PERSON_ROWS: list[tuple[type[models.Model], str]] = [
    (PersonName, "person"),
    (Residence, "person"),
    (HouseholdMember, "person"),
    (Relationship, "person"),
    (Relationship, "relative"),
    (Involvement, "person"),
    (RestrictedAccess, "person"),
    (BreakGlass, "person"),
    (Document, "person"),
    (Referral.children.through, "person"),
    (Referral.household.through, "person"),
    (UnseenChild, "person"),
    (UnseenChild, "linked"),
    (Deadline, "person"),  # issue 21: a clock about the child goes with the kept record
    # Issue 21: meetings and Section 47 enquiries about the child.
    (Meeting.children.through, "person"),
    (Meeting, "professional"),
    (MeetingDecision, "child"),
    (Enquiry.children.through, "person"),
    (ChildSeen, "child"),
]


def rows_of(people: list[Person]) -> dict[str, set[tuple[int, int]]]:
    """Every person-linked row of these people: (row id, person id) by model and key."""
    ids = [p.pk for p in people]
    return {
        f"{model._meta.label_lower}.{field}": set(
            model._base_manager.filter(**{f"{field}__in": ids}).values_list("pk", f"{field}_id")
        )
        for model, field in PERSON_ROWS
    }


def audit_rows() -> dict[str, set[tuple[int, int | None]]]:
    return {
        "access": set(AccessEvent.objects.values_list("pk", "person_id")),
        "versions": set(RecordVersion.objects.values_list("pk", "person_id")),
    }


def candidate(a: Person, b: Person, score: float = 0.93) -> DuplicateCandidate:
    first, second = sorted([a, b], key=lambda p: p.pk)
    return DuplicateCandidate.objects.create(
        person_a=first,
        person_b=second,
        score=score,
        reasons=["Same NHS number", "Same date of birth", "Given name Gwen ~ Gwenllian"],
        found_at=timezone.now() - dt.timedelta(days=1),
    )


def duplicate_of(kept: Person, **fields: Any) -> Person:
    """A second record of the same child, as a different agency recorded her."""
    values: dict[str, Any] = {
        "given_name": "Gwen",
        "family_name": "Pritchard",
        "known_as": "Gwennie",
        "other_names": ["Mair"],
        "date_of_birth": kept.date_of_birth,
        "nhs_number": "",
    }
    return PersonFactory(**{**values, **fields})


def fill(kept: Person, dup: Person, manager: User) -> dict[str, Any]:
    """Give the duplicate one of every kind of person-linked row, including rows that cannot
    move (their twin is already on the kept record, or they link the two records)."""
    police = AgencyFactory(slug="gaerwen-police-merge", type="police")
    worker = UserFactory(agency=kept.created_by_agency or police, roles=["social_worker"])
    mother = PersonFactory(kind="adult", given_name="Menna", family_name="Pritchard")
    brother = PersonFactory(given_name="Dafydd", family_name="Pritchard")
    PersonName.objects.create(person=dup, kind=NameKind.PREVIOUS, given_name="Gwen",
                              family_name="Jones", given_name_folded="gwen",
                              family_name_folded="jones")
    PersonName.objects.create(person=kept, kind=NameKind.NICKNAME, given_name="Gwennie",
                              family_name="Pritchard", given_name_folded="gwennie",
                              family_name_folded="pritchard")
    home = Address.objects.create(line1="3 Lôn Las", town="Aberwen", postcode="LL77 7AB")
    Residence.objects.create(person=dup, address=home, start_date=dt.date(2020, 1, 1))
    household = Household.objects.create(address=home)
    HouseholdMember.objects.create(household=household, person=dup)
    HouseholdMember.objects.create(household=household, person=mother)
    Relationship.objects.create(person=mother, relative=dup, kind=RelationshipKind.PARENT,
                                has_parental_responsibility=True)
    Relationship.objects.create(person=dup, relative=brother, kind=RelationshipKind.SIBLING)
    # Cannot move: the kept record already has this relationship ...
    Relationship.objects.create(person=mother, relative=kept, kind=RelationshipKind.PARENT)
    # ... and this one would make the child her own sister.
    Relationship.objects.create(person=dup, relative=kept, kind=RelationshipKind.SIBLING)
    InvolvementFactory(person=dup, agency=police, role=InvolvementRole.POLICE)
    # Restricted, so that its named people and break-glass openings move too (IS1).
    dup.is_restricted = True
    dup.save(update_fields=["is_restricted"])
    RestrictedAccess.objects.create(person=dup, user=worker, granted_by=manager,
                                    granted_at=timezone.now(), reason="Named")
    RestrictedAccess.objects.create(person=dup, user=manager, granted_by=manager,
                                    granted_at=timezone.now(), reason="Named")
    RestrictedAccess.objects.create(person=kept, user=manager, granted_by=manager,
                                    granted_at=timezone.now(), reason="Named")  # twin
    now = timezone.now()
    BreakGlass.objects.create(person=dup, user=worker, reason="At the front door",
                              opened_at=now, expires_at=now + dt.timedelta(hours=1))
    store_document(dup, uploaded_by=worker)
    about_dup = make_referral(police, dup, status="awaiting_decision", referrer=worker,
                              decider=manager)
    about_both = make_referral(police, dup, status="awaiting_decision", referrer=worker,
                               decider=manager)
    about_both.children.add(kept)  # names the child twice, once through each record
    return {"mother": mother, "brother": brother, "about_dup": about_dup,
            "about_both": about_both}


@pytest.fixture
def kept(child: Person) -> Person:
    return child


@pytest.fixture
def dup(kept: Person) -> Person:
    return duplicate_of(kept)


def test_is3_merge_and_undo_keep_every_record_involvement_and_audit_entry(
    team_manager: User, kept: Person, dup: Person
) -> None:
    fill(kept, dup, team_manager)
    pair = candidate(kept, dup)
    selectors.view_person(team_manager, dup.ref)  # an audit entry about the duplicate
    before = rows_of([kept, dup])
    audit_before = audit_rows()

    merge = merging.merge_people(
        team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON
    )

    after = rows_of([kept, dup])
    left = {
        "people.relationship.relative": 1,  # mother -> kept already existed
        "people.relationship.person": 1,  # dup -> kept (would be a self-relationship)
        # Who may see a record never moves: the worker named on the duplicate is named on the
        # kept record too (a new grant: the manager was named there already), and the worker's
        # break-glass opening stays with the record it was opened on (IS1).
        "people.restrictedaccess.person": 2,
        "people.breakglass.person": 1,
        "referrals.referral_children.person": 1,  # the referral already names kept
    }
    for key, rows in before.items():
        added = {
            "people.personname.person": set(merge.moved.get("aliases", [])),
            "people.restrictedaccess.person": set(merge.moved.get("named", [])),
        }
        assert {pk for pk, _ in after[key]} - {pk for pk, _ in rows} <= (
            added.get(key, set())
        ), f"{key}: rows appeared"
        assert {pk for pk, _ in rows} <= {pk for pk, _ in after[key]}, f"{key}: rows vanished"
        still_on_dup = {pk for pk, person in after[key] if person == dup.pk}
        assert len(still_on_dup) == left.get(key, 0), key
    # Everything that was already on the kept record stays there.
    for key, rows in before.items():
        kept_rows = {pk for pk, person in rows if person == kept.pk}
        assert kept_rows <= {pk for pk, person in after[key] if person == kept.pk}, key
    # The audit trail is never moved: every earlier entry still names its own record.
    audit_after = audit_rows()
    for name in ("access", "versions"):
        assert audit_before[name] <= audit_after[name], name
    assert AccessEvent.objects.filter(person_id=dup.pk, action="view").exists()

    dup.refresh_from_db()
    kept.refresh_from_db()
    assert dup.merged_into == kept
    assert (kept.version, dup.version) == (2, 2)
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == (DuplicateStatus.MERGED, team_manager)
    assert kept.is_restricted and merge.restriction_inherited  # as the duplicate was (IS1)
    for person in (kept, dup):
        version = RecordVersion.objects.get(record_kind="person", record_id=person.ref, version=2)
        assert version.reason == REASON
        assert AccessEvent.objects.filter(
            person_id=person.pk, action="update", record_kind="merge", record_id=str(merge.pk)
        ).exists()
    assert RecordVersion.objects.get(
        record_kind="person", record_id=dup.ref, version=2
    ).data["merged_into"] == kept.ref

    undone = merging.undo_merge(team_manager, merge_id=merge.pk, reason="Twins, not one child")

    assert rows_of([kept, dup]) == before
    audit_final = audit_rows()
    for name in ("access", "versions"):
        assert audit_after[name] < audit_final[name], name
    dup.refresh_from_db()
    kept.refresh_from_db()
    assert dup.merged_into is None
    assert (kept.is_restricted, dup.is_restricted) == (False, True)
    assert (kept.version, dup.version) == (3, 3)
    assert undone.undone_by == team_manager and undone.undo_reason == "Twins, not one child"
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == (DuplicateStatus.OPEN, None)


def test_is3_the_duplicates_names_become_aliases_of_the_record_kept_and_go_on_undo(
    team_manager: User, kept: Person, dup: Person
) -> None:
    PersonName.objects.create(person=kept, kind=NameKind.NICKNAME, given_name="Gwennie",
                              family_name="Pritchard")
    merge = merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    names = {(n.kind, n.given_name, n.family_name) for n in kept.names.all()}
    assert (NameKind.ALIAS, "Gwen", "Pritchard") in names
    assert (NameKind.ALIAS, "Mair", "Pritchard") in names
    assert [n for n in names if n[1] == "Gwennie"] == [(NameKind.NICKNAME, "Gwennie", "Pritchard")]
    assert len(merge.moved["aliases"]) == 2
    kept.refresh_from_db()
    assert (kept.given_name, kept.family_name, kept.known_as) == ("Gwenllian", "Prydderch", "")
    found = search.search_people(team_manager, "gwen pritchard").people
    assert [p.ref for p in found] == [kept.ref]
    merging.undo_merge(team_manager, merge_id=merge.pk, reason="Not the same child")
    assert {(n.given_name, n.family_name) for n in kept.names.all()} == {("Gwennie", "Pritchard")}


def test_is3_every_foreign_key_to_a_person_is_moved_or_deliberately_not(
) -> None:
    """Walks every model, not the code under test: a new app's rows cannot be forgotten."""
    never_moved = {"people.person", "people.matchkey", "people.duplicatecandidate", "people.merge"}
    found = set()
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Person:
                label = model._meta.label_lower
                if label not in never_moved:
                    found.add(f"{label}.{f.name}")
    expected = {f"{m._meta.label_lower}.{f}" for m, f in PERSON_ROWS}
    assert found == expected, "add the new foreign key to PERSON_ROWS (and check it moves)"
    links = {(link.model, link.field) for link in merging.person_links()}
    assert links == {(m, f) for m, f in PERSON_ROWS}


def test_is3_undo_moves_back_only_what_the_merge_moved(
    team_manager: User, kept: Person, dup: Person, school: Any
) -> None:
    InvolvementFactory(person=dup, agency=school, role=InvolvementRole.SCHOOL_NURSE)
    merge = merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    since = services.add_involvement(
        team_manager, person_ref=kept.ref, agency_slug=school.slug, role="health_visitor",
        start_date="2025-01-06",
    )
    merging.undo_merge(team_manager, merge_id=merge.pk, reason="Different children")
    since.refresh_from_db()
    assert since.person_id == kept.pk
    assert list(dup.involvements.values_list("role", flat=True)) == ["school_nurse"]


def test_fd6_match_keys_are_rebuilt_not_moved(
    team_manager: User, kept: Person, dup: Person
) -> None:
    dup_keys = set(MatchKey.objects.filter(person=dup).values_list("pk", flat=True))
    assert dup_keys, "the factory files people under the matcher's keys"
    merge = merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    assert not MatchKey.objects.filter(person=dup).exists(), "a merged record is not matched"
    assert not MatchKey.objects.filter(pk__in=dup_keys, person=kept).exists()
    assert MatchKey.objects.filter(person=kept).exists()
    merging.undo_merge(team_manager, merge_id=merge.pk, reason="Different children")
    assert MatchKey.objects.filter(person=dup).exists()


def test_is3_merged_record_is_hidden_from_searches_and_lists_but_read_by_its_id(
    team_manager: User, kept: Person, dup: Person
) -> None:
    assert dup.ref in [p.ref for p in search.search_people(team_manager, "pritchard").people]
    merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    assert [p.ref for p in search.search_people(team_manager, dup.ref).people] == []
    assert dup.ref not in [p.ref for p in search.search_people(team_manager, "gwen").people]
    assert not selectors.people_for(team_manager, "list").filter(pk=dup.pk).exists()
    record = selectors.view_person(team_manager, dup.ref)
    assert record.person.merged_into_id == kept.pk
    notice = duplicates.merge_notice(team_manager, record.person)
    assert notice is not None and notice.kept == kept and notice.kept_is_visible
    assert notice.merged_at is not None


@pytest.mark.parametrize("persona", ["social_worker", "school_dsl", "board_member"])
def test_is3_only_permitted_roles_merge_undo_or_decide(
    persona: str, request: pytest.FixtureRequest, team_manager: User, kept: Person, dup: Person
) -> None:
    user: User = request.getfixturevalue(persona)
    pair = candidate(kept, dup)
    with pytest.raises(Forbidden):
        merging.merge_people(user, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    with pytest.raises(Forbidden):
        merging.mark_not_same(user, candidate_id=pair.pk)
    with pytest.raises(Forbidden):
        duplicates.duplicate_review_list(user)
    merge = merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    with pytest.raises(Forbidden):
        merging.undo_merge(user, merge_id=merge.pk, reason="No")
    with pytest.raises(Forbidden):
        duplicates.merges_of(user, kept.ref)
    merge.refresh_from_db()
    assert merge.undone_at is None


def test_is3_system_administrator_may_merge_without_reading_case_records(
    kept: Person, dup: Person, childrens_services: Any
) -> None:
    admin = UserFactory(agency=childrens_services, roles=["system_admin"])
    with pytest.raises(NotFound):
        selectors.view_person(admin, kept.ref)
    merge = merging.merge_people(admin, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    assert merge.merged_by == admin


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_is3_an_empty_reason_is_refused_by_name_and_nothing_changes(
    reason: str, team_manager: User, kept: Person, dup: Person
) -> None:
    with pytest.raises(Refused) as refused:
        merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=reason)
    assert "reason" in refused.value.errors
    dup.refresh_from_db()
    assert dup.merged_into is None and dup.version == 1 and not Merge.objects.exists()


def test_is3_a_record_is_not_merged_with_itself(team_manager: User, kept: Person) -> None:
    with pytest.raises(Refused) as refused:
        merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=kept.ref, reason=REASON)
    assert "merge" in refused.value.errors


def test_is3_an_already_merged_record_is_neither_merged_again_nor_kept(
    team_manager: User, kept: Person, dup: Person
) -> None:
    third = duplicate_of(kept, given_name="Gwenlli")
    merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    with pytest.raises(Refused) as again:
        merging.merge_people(team_manager, keep_ref=third.ref, merge_ref=dup.ref, reason=REASON)
    assert "already been merged" in again.value.errors["merge"][0]
    with pytest.raises(Refused) as into:
        merging.merge_people(team_manager, keep_ref=dup.ref, merge_ref=third.ref, reason=REASON)
    assert "keep" in into.value.errors
    assert Merge.objects.count() == 1


def test_is3_unknown_records_are_not_found_or_named(team_manager: User, kept: Person) -> None:
    with pytest.raises(NotFound):
        merging.merge_people(team_manager, keep_ref="T00000000", merge_ref=kept.ref, reason=REASON)
    for bad in ("T00000000", "T\x00"):
        with pytest.raises(Refused) as refused:
            merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=bad, reason=REASON)
        assert "merge" in refused.value.errors
    with pytest.raises(NotFound):
        merging.undo_merge(team_manager, merge_id=999_999, reason="No")


def test_is3_undo_twice_is_refused(team_manager: User, kept: Person, dup: Person) -> None:
    merge = merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    with pytest.raises(Refused) as empty:
        merging.undo_merge(team_manager, merge_id=merge.pk, reason=" ")
    assert "reason" in empty.value.errors
    merging.undo_merge(team_manager, merge_id=merge.pk, reason="Different children")
    with pytest.raises(Refused) as twice:
        merging.undo_merge(team_manager, merge_id=merge.pk, reason="Again")
    assert "already undone" in twice.value.errors["__all__"][0]
    dup.refresh_from_db()
    assert dup.version == 3  # merged, undone: nothing more


def test_is3_undo_is_refused_once_the_record_kept_was_merged_elsewhere(
    team_manager: User, kept: Person, dup: Person
) -> None:
    first = merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    later = duplicate_of(kept, given_name="Gwenllian", family_name="Prydderch")
    merging.merge_people(team_manager, keep_ref=later.ref, merge_ref=kept.ref, reason=REASON)
    with pytest.raises(Refused) as refused:
        merging.undo_merge(team_manager, merge_id=first.pk, reason="Different children")
    assert "Undo that merge first" in refused.value.errors["__all__"][0]


def test_is1_a_restricted_record_is_merged_only_by_someone_who_may_see_it(
    team_manager: User, gateway_worker: User, kept: Person, dup: Person
) -> None:
    other_manager = UserFactory(agency=team_manager.agency, roles=["team_manager"])
    restriction.set_restriction(
        team_manager, person=dup, restricted=True, reason="A staff member's child",
        named_usernames=[],
    )
    with pytest.raises(Refused) as refused:
        merging.merge_people(other_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    assert "restricted" in refused.value.errors["merge"][0]
    pair = candidate(kept, dup)
    assert pair not in duplicates.duplicate_review_list(other_manager)
    assert duplicates.hidden_pair_count(other_manager) == 1
    with pytest.raises(NotFound):
        duplicates.duplicate_pair(other_manager, pair.pk)
    merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)


def test_fd6_not_the_same_person_is_remembered_and_leaves_the_review_list(
    team_manager: User, kept: Person, dup: Person
) -> None:
    pair = candidate(kept, dup)
    assert list(duplicates.duplicate_review_list(team_manager)) == [pair]
    decided = merging.mark_not_same(team_manager, candidate_id=pair.pk, note="Twins")
    assert decided.status == DuplicateStatus.NOT_SAME
    pair.refresh_from_db()
    assert (pair.status, pair.note, pair.decided_by) == ("not_same", "Twins", team_manager)
    assert list(duplicates.duplicate_review_list(team_manager)) == []
    assert list(duplicates.duplicate_review_list(team_manager, "not_same")) == [pair]
    assert AccessEvent.objects.filter(
        person_id=kept.pk, record_kind="merge", action="update", detail__decision="not_same"
    ).exists()


def test_fd6_a_pair_already_decided_is_not_decided_again(
    team_manager: User, kept: Person, dup: Person
) -> None:
    pair = candidate(kept, dup)
    merging.mark_not_same(team_manager, candidate_id=pair.pk)
    with pytest.raises(Refused) as stale:
        merging.merge_people(
            team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON,
            candidate_id=pair.pk,
        )
    assert "not the same person" in stale.value.errors["__all__"][0]
    with pytest.raises(Refused):
        merging.mark_not_same(team_manager, candidate_id=pair.pk)
    assert not Merge.objects.exists()
    other = duplicate_of(kept, given_name="Gwenlli")
    second = candidate(kept, other)
    merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=other.ref, reason=REASON,
                         candidate_id=second.pk)
    with pytest.raises(Refused) as merged:
        merging.mark_not_same(team_manager, candidate_id=second.pk)
    assert "already merged" in merged.value.errors["__all__"][0]


def test_fd6_a_pair_id_must_name_the_records_being_merged(
    team_manager: User, kept: Person, dup: Person
) -> None:
    unrelated = candidate(PersonFactory(), PersonFactory())
    with pytest.raises(Refused) as refused:
        merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON,
                             candidate_id=unrelated.pk)
    assert "candidate" in refused.value.errors


def test_fd6_an_open_pair_whose_record_was_merged_elsewhere_leaves_the_list(
    team_manager: User, kept: Person, dup: Person
) -> None:
    third = duplicate_of(kept, given_name="Gwenlli")
    stale = candidate(dup, third)
    merge = merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    assert stale not in duplicates.duplicate_review_list(team_manager)
    merging.undo_merge(team_manager, merge_id=merge.pk, reason="Different children")
    assert stale in duplicates.duplicate_review_list(team_manager)


def test_is3_a_page_read_before_the_merge_cannot_overwrite_either_record(
    team_manager: User, social_worker: User, kept: Person, dup: Person
) -> None:
    read = {p.ref: p.version for p in (kept, dup)}
    merging.merge_people(team_manager, keep_ref=kept.ref, merge_ref=dup.ref, reason=REASON)
    # The kept record moved on a version; the merged one takes no more writes at all.
    for ref, version, refusal in ((kept.ref, read[kept.ref], Conflict),
                                  (dup.ref, read[dup.ref], NotFound)):
        with pytest.raises(refusal):
            services.update_person(social_worker, ref=ref, version=version,
                                   changes={"known_as": "Gwen"}, reason="Known as Gwen")
    kept.refresh_from_db()
    assert kept.known_as == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_is3_two_managers_merging_the_same_pair_at_once_make_one_merge(
    team_manager: User, kept: Person, dup: Person
) -> None:
    """Each way round at once (A into B, B into A): the records are locked in id order, so one
    merge waits for the other and is then refused; the pair is never merged both ways."""
    colleague = UserFactory(agency=team_manager.agency, roles=["team_manager"])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def merge(user: User, keep: Person, other: Person) -> None:
        try:
            barrier.wait(timeout=10)
            merging.merge_people(user, keep_ref=keep.ref, merge_ref=other.ref, reason=REASON)
            outcomes.append("merged")
        except Refused as refused:
            outcomes.append(" ".join(m for ms in refused.errors.values() for m in ms))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=merge, args=(team_manager, kept, dup)),
        threading.Thread(target=merge, args=(colleague, dup, kept)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[-1] == "merged" and len(outcomes) == 2, outcomes
    assert "merged into another record" in sorted(outcomes)[0], outcomes
    merge = Merge.objects.get()
    assert Person.objects.filter(merged_into__isnull=False).count() == 1
    merge.merged.refresh_from_db()
    assert merge.merged.merged_into_id == merge.kept_id and merge.merged.version == 2


def test_is3_nothing_new_is_written_to_a_merged_record(
    team_manager: User, social_worker: User, school_dsl: User, child: Person
) -> None:
    """Edits and referrals go to the record kept, never to the hidden duplicate."""
    from tarian.errors import NotFound, Refused
    from tarian.people.merging import merge_people
    from tarian.people.services import update_person
    from tarian.referrals.services import submit_referral

    duplicate = PersonFactory(given_name="Gwen", family_name=child.family_name,
                              date_of_birth=child.date_of_birth, nhs_number="",
                              created_by_agency=school_dsl.agency)  # so the school sees it
    merge_people(team_manager, keep_ref=child.ref, merge_ref=duplicate.ref,
                 reason="Same child: the school confirmed the date of birth and address")
    duplicate.refresh_from_db()
    with pytest.raises(NotFound):
        update_person(social_worker, ref=duplicate.ref, version=duplicate.version,
                      changes={"known_as": "Gwennie"}, reason="Known as")
    with pytest.raises(Refused) as refused:
        submit_referral(school_dsl, data={
            "children": [duplicate.ref], "concern": "A concern described at length here.",
            "voice_of_child": "She said so.", "voice_method": "own_words",
            "parental_awareness": "aware", "consent": "given", "priority": "standard",
        })
    assert refused.value.errors["children"] == [
        f"{duplicate.ref} was merged into {child.ref}: refer {child.ref} instead"
    ]
