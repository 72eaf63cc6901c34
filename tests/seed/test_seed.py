"""``tarian seed``: synthetic Gaerwen data is reproducible, valid and hangs together."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from typing import cast

import pytest
from django.core.management import call_command

from tarian.agencies.models import Agency, AgencyType, User
from tarian.core.text import fold
from tarian.people.identifiers import parse_nhs_number, parse_postcode, parse_upn
from tarian.people.models import (
    Address,
    Household,
    HouseholdMember,
    Involvement,
    InvolvementRole,
    NameKind,
    Person,
    PersonKind,
    PersonName,
    Relationship,
    RelationshipKind,
    Residence,
)
from tarian.people.services import set_folded_names
from tarian.seed.agencies import FEATURED_GP, FEATURED_SCHOOL, area_agencies, area_layout
from tarian.seed.area import plan_area
from tarian.seed.plan import school_year_age
from tarian.seed.write import SeedSummary, seed_area
from tests.factories import UserFactory

TODAY = dt.date(2026, 11, 23)


def seed(children: int = 60, random_seed: int = 7) -> SeedSummary:
    return seed_area(children=children, random_seed=random_seed, progress=False, today=TODAY)


def digest() -> str:
    """A fingerprint of the seeded data that ignores database ids and timestamps."""
    h = hashlib.sha256()
    for person in Person.objects.order_by("id").values_list(
        "ref",
        "kind",
        "given_name",
        "family_name",
        "other_names",
        "known_as",
        "date_of_birth",
        "expected_date",
        "sex",
        "ethnicity",
        "first_language",
        "welsh_active_offer",
        "interpreter_needed",
        "nhs_number",
        "upn",
    ):
        h.update(repr(person).encode())
    for queryset in (
        PersonName.objects.order_by("id").values_list(
            "person__ref", "kind", "given_name", "family_name", "used_until"
        ),
        Relationship.objects.order_by("id").values_list(
            "person__ref", "relative__ref", "kind", "has_parental_responsibility", "start_date"
        ),
        Residence.objects.order_by("id").values_list(
            "person__ref",
            "address__line1",
            "address__line2",
            "address__town",
            "address__postcode",
            "start_date",
            "end_date",
        ),
        HouseholdMember.objects.order_by("id").values_list(
            "household__address__line1", "household__address__postcode", "person__ref", "start_date"
        ),
        Involvement.objects.order_by("id").values_list(
            "person__ref",
            "agency__slug",
            "team__name",
            "role",
            "professional_name",
            "start_date",
            "end_date",
            "end_reason",
        ),
    ):
        for row in queryset:
            h.update(repr(row).encode())
    return h.hexdigest()


def forget_people() -> None:
    Person.objects.all().delete()
    Household.objects.all().delete()
    Address.objects.all().delete()


@pytest.mark.django_db
def test_same_random_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    seed(random_seed=7)
    first = digest()
    forget_people()
    seed(random_seed=7)
    assert digest() == first
    forget_people()
    seed(random_seed=8)
    assert digest() != first


def test_plan_is_reproducible_without_a_database() -> None:
    def plan() -> list[object]:
        chunks = plan_area(
            children=150,
            random_seed=3,
            today=TODAY,
            layout=area_layout(150),
            households_per_chunk=20,
        )
        return [
            (
                c.people,
                c.addresses,
                c.households,
                c.members,
                c.residences,
                c.relationships,
                c.names,
                c.involvements,
            )
            for c in chunks
        ]

    first = plan()
    assert len(first) > 1
    assert plan() == first


@pytest.mark.django_db
def test_summary_counts_match_the_database_and_name_a_featured_child() -> None:
    summary = seed(children=60)
    assert summary.children + summary.unborn == 60
    assert Person.objects.filter(kind=PersonKind.CHILD).count() == summary.children
    assert Person.objects.filter(kind=PersonKind.ADULT).count() == summary.adults
    assert Person.objects.count() == summary.people
    assert Household.objects.count() == summary.households
    assert Address.objects.count() == summary.addresses
    assert Residence.objects.count() == summary.residences
    assert HouseholdMember.objects.count() == summary.household_members
    assert Relationship.objects.count() == summary.relationships
    assert PersonName.objects.count() == summary.names
    assert Involvement.objects.count() == summary.involvements
    assert summary.school_slug == FEATURED_SCHOOL
    assert summary.gp_slug == FEATURED_GP
    assert f"Featured child: {summary.featured_child_ref}" in summary.describe()

    child = Person.objects.get(ref=summary.featured_child_ref)
    assert child.kind == PersonKind.CHILD
    kinds = set(child.names.values_list("kind", flat=True))
    assert NameKind.ALIAS in kinds and NameKind.NICKNAME in kinds
    assert child.known_as
    assert "-" in child.family_name
    siblings = Relationship.objects.filter(
        person=child, kind__in=[RelationshipKind.SIBLING, RelationshipKind.HALF_SIBLING]
    )
    assert siblings.count() == 2
    current = child.involvements.filter(end_date__isnull=True)
    roles = set(current.values_list("role", flat=True))
    assert {
        InvolvementRole.SCHOOL,
        InvolvementRole.GP,
        InvolvementRole.CAMHS,
        InvolvementRole.SOCIAL_WORKER,
    } <= roles
    assert current.filter(agency__slug=summary.school_slug, role="school").exists()
    assert current.filter(agency__slug=summary.gp_slug, role="gp").exists()
    assert child.involvements.filter(end_date__isnull=False).exists()


@pytest.mark.django_db
def test_even_a_one_child_seed_has_a_featured_child_at_the_featured_school() -> None:
    summary = seed(children=1)
    child = Person.objects.get(ref=summary.featured_child_ref)
    assert child.involvements.filter(agency__slug=FEATURED_SCHOOL, end_date__isnull=True).exists()
    assert Person.objects.filter(kind__in=[PersonKind.CHILD, PersonKind.UNBORN]).count() == 1


@pytest.mark.django_db
def test_nhs_numbers_are_valid_unique_and_from_the_test_range() -> None:
    seed(children=300)
    numbers = list(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    assert numbers
    assert len(numbers) == len(set(numbers))
    for number in numbers:
        assert number.startswith("999")
        assert parse_nhs_number(number) == number
    without = Person.objects.filter(nhs_number="")
    assert without.filter(kind=PersonKind.CHILD).exists()
    assert without.filter(kind=PersonKind.ADULT).exists()
    assert not Person.objects.filter(kind=PersonKind.UNBORN).exclude(nhs_number="").exists()


@pytest.mark.django_db
def test_upns_and_postcodes_are_valid() -> None:
    seed(children=120)
    upns = list(Person.objects.exclude(upn="").values_list("upn", flat=True))
    assert upns
    assert len(upns) == len(set(upns))
    for upn in upns:
        assert parse_upn(upn) == upn
    for postcode in Address.objects.values_list("postcode", flat=True):
        assert parse_postcode(postcode) == postcode


@pytest.mark.django_db
def test_every_name_is_folded_for_search() -> None:
    seed(children=120)
    for person in Person.objects.all():
        stored = (person.given_name_folded, person.family_name_folded)
        set_folded_names(person)
        assert stored == (person.given_name_folded, person.family_name_folded)
        assert person.family_name_folded
    for name in PersonName.objects.all():
        assert name.given_name_folded == fold(name.given_name)[:100]
        assert name.family_name_folded == fold(name.family_name)[:100]


@pytest.mark.django_db
def test_relationships_hang_together() -> None:
    seed(children=200)
    rows = Relationship.objects.select_related("person", "relative")
    assert rows.exists()
    pairs: set[frozenset[int]] = set()
    for rel in rows:
        assert rel.person_id != rel.relative_id
        if rel.kind == RelationshipKind.PARENT and rel.relative.kind == PersonKind.CHILD:
            assert rel.person.kind == PersonKind.ADULT
            assert rel.person.date_of_birth is not None and rel.relative.date_of_birth is not None
            gap = rel.relative.date_of_birth - rel.person.date_of_birth
            assert gap >= dt.timedelta(days=round(15.9 * 365.25)), rel
        if rel.kind in (
            RelationshipKind.SIBLING,
            RelationshipKind.HALF_SIBLING,
            RelationshipKind.PARTNER,
        ):
            pair = frozenset((rel.person_id, rel.relative_id))
            assert pair not in pairs, "one row per pair"
            pairs.add(pair)
        if rel.kind == RelationshipKind.PARTNER:
            assert rel.person.kind == rel.relative.kind == PersonKind.ADULT
    # Birth parents have parental responsibility for born children (most of them).
    parents = rows.filter(kind=RelationshipKind.PARENT, relative__kind=PersonKind.CHILD)
    assert parents.filter(has_parental_responsibility=True).count() > parents.count() * 0.8


@pytest.mark.django_db
def test_households_have_adults_and_every_child_lives_somewhere() -> None:
    seed(children=150)
    for household in Household.objects.all():
        assert household.address_id is not None
        kinds = set(household.members.values_list("person__kind", flat=True))
        assert PersonKind.ADULT in kinds
        for member in household.members.all():
            assert Residence.objects.filter(
                person_id=member.person_id, address_id=household.address_id, end_date__isnull=True
            ).exists()
    for child in Person.objects.filter(kind=PersonKind.CHILD):
        assert child.memberships.filter(end_date__isnull=True).count() == 1
    for residence in Residence.objects.filter(end_date__isnull=False):
        assert residence.start_date is not None and residence.end_date is not None
        assert residence.start_date <= residence.end_date
    assert Residence.objects.filter(end_date__isnull=False).exists()


@pytest.mark.django_db
def test_every_school_age_child_is_at_school_and_everyone_has_a_gp() -> None:
    seed(children=200)
    checked = 0
    for child in Person.objects.filter(kind=PersonKind.CHILD):
        assert child.date_of_birth is not None
        current = child.involvements.filter(end_date__isnull=True)
        assert (
            current.filter(role=InvolvementRole.GP, agency__type=AgencyType.GP_PRACTICE).count()
            == 1
        )
        if 4 <= school_year_age(child.date_of_birth, TODAY) <= 15:
            checked += 1
            assert (
                current.filter(role=InvolvementRole.SCHOOL, agency__type=AgencyType.SCHOOL).count()
                == 1
            ), child.ref
            assert child.upn
        if child.age_on(TODAY) is not None and (child.age_on(TODAY) or 0) < 5:
            assert current.filter(role=InvolvementRole.HEALTH_VISITOR).exists()
    assert checked > 50
    for adult in Person.objects.filter(kind=PersonKind.ADULT):
        assert adult.involvements.filter(role=InvolvementRole.GP, end_date__isnull=True).exists()


@pytest.mark.django_db
def test_involvement_dates_are_in_the_past_and_endings_have_reasons() -> None:
    seed(children=300)
    for involvement in Involvement.objects.all():
        assert involvement.start_date <= TODAY
        if involvement.end_date is not None:
            assert involvement.start_date <= involvement.end_date <= TODAY
            assert involvement.end_reason
    assert Involvement.objects.filter(end_date__isnull=False).exists()
    team_roles = Involvement.objects.filter(role=InvolvementRole.SOCIAL_WORKER)
    assert team_roles.exists()
    assert not team_roles.filter(team__isnull=True).exists()
    assert not team_roles.exclude(agency__slug="gaerwen-childrens-services").exists()


@pytest.mark.django_db
def test_unborn_babies_have_an_expected_date_and_a_mother() -> None:
    seed(children=600)
    unborn = Person.objects.filter(kind=PersonKind.UNBORN)
    assert unborn.exists()
    for baby in unborn:
        assert baby.date_of_birth is None
        assert baby.expected_date is not None
        assert TODAY < baby.expected_date <= TODAY + dt.timedelta(days=270)
        mothers = Relationship.objects.filter(
            relative=baby, kind=RelationshipKind.PARENT, person__sex="female"
        )
        assert mothers.exists()
        assert baby.involvements.filter(role=InvolvementRole.MIDWIFE).exists()


@pytest.mark.django_db
def test_a_larger_area_has_the_variation_matching_needs() -> None:
    seed(children=600)
    children = Person.objects.filter(kind=PersonKind.CHILD)
    assert children.filter(family_name__contains="-").exists()
    assert children.exclude(known_as="").exists()
    names = PersonName.objects.values_list("kind", flat=True)
    assert {NameKind.ALIAS, NameKind.NICKNAME, NameKind.PREVIOUS} <= set(names)
    assert Relationship.objects.filter(kind=RelationshipKind.HALF_SIBLING).exists()
    assert Relationship.objects.filter(kind=RelationshipKind.STEP_PARENT).exists()
    assert Person.objects.filter(first_language="cy").exists()
    assert Person.objects.exclude(first_language__in=["en", "cy", ""]).exists()
    assert Person.objects.exclude(ethnicity__in=["white_british", ""]).exists()
    assert Person.objects.filter(welsh_active_offer="accepted").exists()
    # Most children share a surname with at least one parent, but not all do.
    differs = 0
    for child in children[:200]:
        surnames = set(
            Relationship.objects.filter(relative=child, kind=RelationshipKind.PARENT).values_list(
                "person__family_name", flat=True
            )
        )
        differs += bool(surnames) and child.family_name not in surnames
    assert 0 < differs < 100


@pytest.mark.django_db
def test_seeding_again_adds_people_with_new_identifiers() -> None:
    first = seed(children=40, random_seed=1)
    second = seed(children=40, random_seed=1)
    assert Person.objects.count() == first.people + second.people
    refs = list(Person.objects.values_list("ref", flat=True))
    assert len(refs) == len(set(refs))
    numbers = list(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    assert len(numbers) == len(set(numbers))
    upns = list(Person.objects.exclude(upn="").values_list("upn", flat=True))
    assert len(upns) == len(set(upns))
    assert second.featured_child_ref != first.featured_child_ref
    assert Agency.objects.filter(slug="gaerwen-police").count() == 1


@pytest.mark.django_db
def test_social_workers_already_in_a_team_are_named_on_involvements() -> None:
    agencies = area_agencies()
    team = agencies.childrens_services.teams.get(name="Assessment North")
    worker = cast(
        User,
        UserFactory(
            username="owain",
            agency=agencies.childrens_services,
            team=team,
            roles=["social_worker"],
        ),
    )
    seed(children=300)
    named = Involvement.objects.filter(team=team, role=InvolvementRole.SOCIAL_WORKER)
    assert named.exists()
    assert not named.exclude(professional=worker).exists()
    elsewhere = Involvement.objects.filter(role=InvolvementRole.SOCIAL_WORKER).exclude(team=team)
    assert not elsewhere.filter(professional__isnull=False).exists()
    assert not elsewhere.filter(professional_name="").exists()


@pytest.mark.django_db
def test_area_agencies_creates_the_main_agencies_once() -> None:
    first = area_agencies()
    again = area_agencies()
    assert first.by_slug().keys() == again.by_slug().keys()
    assert first.childrens_services.name == "Gaerwen Children's Services"
    assert first.childrens_services.name_cy == "Gwasanaethau Plant Gaerwen"
    assert first.board.name == "North Gaerwen Regional Safeguarding Board"
    assert first.school_slug == FEATURED_SCHOOL
    assert first.gp_slug == FEATURED_GP
    assert first.school.type == AgencyType.SCHOOL
    assert first.gp_practice.type == AgencyType.GP_PRACTICE
    teams = set(first.childrens_services.teams.values_list("name", flat=True))
    assert {
        "Gateway",
        "Assessment North",
        "Assessment South",
        "Child Protection",
        "Early Help",
    } <= teams
    assert first.police.teams.filter(name="Central Referral Unit").exists()
    assert Agency.objects.filter(slug=FEATURED_SCHOOL).count() == 1


def test_the_number_of_schools_and_practices_grows_with_the_area() -> None:
    small = area_layout(60)
    large = area_layout(100_000)
    for layout in (small, large):
        slugs = [s.slug for s in layout.specs]
        assert len(slugs) == len(set(slugs))
        assert all(len(slug) <= 64 for slug in slugs)
    assert sum(s.phase == "primary" for s in small.specs) == 30
    assert sum(s.phase == "primary" for s in large.specs) == 400
    assert sum(s.type == AgencyType.GP_PRACTICE for s in small.specs) == 12
    assert sum(s.type == AgencyType.GP_PRACTICE for s in large.specs) > 12
    for layout in (small, large):
        assert {FEATURED_SCHOOL, FEATURED_GP} <= {s.slug for s in layout.specs}


@pytest.mark.django_db
def test_seed_command_prints_a_summary() -> None:
    out = StringIO()
    call_command("seed", children=25, random_seed=2, quiet=True, today=TODAY, stdout=out)
    assert "Seeded" in out.getvalue()
    assert Person.objects.filter(kind__in=[PersonKind.CHILD, PersonKind.UNBORN]).count() == 25
