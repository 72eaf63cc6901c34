"""Recording and correcting the shared record (IS3, VC2): every rule and every refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessEvent, RecordVersion
from tarian.errors import Conflict, Forbidden, NotFound, Refused
from tarian.people import services
from tarian.people.models import Involvement, Person
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": "child",
    "given_name": " Siân ",
    "family_name": "Jones-Pritchard",
    "date_of_birth": "2016-02-29",
    "sex": "female",
    "ethnicity": "white_british",
    "first_language": "cy",
    "nhs_number": "943 476 5919",
}


def test_is3_create_person_versions_and_audits(social_worker: User) -> None:
    person = services.create_person(
        social_worker, data=GOOD, address={"line1": "2 Ffordd y Llan", "postcode": "ll77 7ab"}
    )
    assert person.given_name == "Siân" and person.given_name_folded == "sian"
    assert person.nhs_number == "9434765919"
    assert person.created_by_agency == social_worker.agency
    assert person.residences.get().address.postcode == "LL77 7AB"
    version = RecordVersion.objects.get(record_id=person.ref)
    assert version.version == 1 and version.changed_by == social_worker
    assert AccessEvent.objects.filter(person_id=person.pk, action="create").exists()


def test_vc2_create_person_names_every_bad_field_and_saves_nothing(social_worker: User) -> None:
    with pytest.raises(Refused) as refused:
        services.create_person(
            social_worker,
            data={
                **GOOD,
                "nhs_number": "9434765918",
                "date_of_birth": "2099-01-01",
                "ethnicity": "martian",
                "first_language": "xx",
                "sex": "q",
            },
            address={"line1": "", "postcode": "nonsense"},
        )
    assert set(refused.value.errors) == {
        "nhs_number",
        "date_of_birth",
        "ethnicity",
        "first_language",
        "sex",
        "address.line1",
        "address.postcode",
    }
    assert not Person.objects.exists()


def test_cp7_unborn_baby_needs_expected_date_not_dob(social_worker: User) -> None:
    with pytest.raises(Refused) as refused:
        services.create_person(
            social_worker,
            data={"kind": "unborn", "family_name": "Prydderch", "date_of_birth": "2020-01-01"},
        )
    assert set(refused.value.errors) == {"expected_date", "date_of_birth"}
    unborn = services.create_person(
        social_worker,
        data={"kind": "unborn", "family_name": "Prydderch", "expected_date": "2027-03-01"},
    )
    assert unborn.expected_date == dt.date(2027, 3, 1)


def test_create_person_needs_a_name(social_worker: User) -> None:
    with pytest.raises(Refused) as refused:
        services.create_person(social_worker, data={"kind": "child"})
    assert "family_name" in refused.value.errors


def test_is1_board_member_may_not_create_people(board_member: User) -> None:
    with pytest.raises(Forbidden):
        services.create_person(board_member, data=GOOD)


def test_is1_school_dsl_sees_a_child_they_recorded(school_dsl: User) -> None:
    person = services.create_person(school_dsl, data=GOOD)
    from tarian.people.selectors import view_person

    assert view_person(school_dsl, person.ref).person == person


def test_is3_update_person_needs_a_reason_and_keeps_both_versions(social_worker: User) -> None:
    person = services.create_person(social_worker, data=GOOD)
    with pytest.raises(Refused) as refused:
        services.update_person(
            social_worker, ref=person.ref, version=1, changes={"family_name": "Jones"}, reason=" "
        )
    assert "reason" in refused.value.errors
    updated = services.update_person(
        social_worker,
        ref=person.ref,
        version=1,
        changes={"family_name": "Jones"},
        reason="Mother confirmed the family uses Jones only",
    )
    assert updated.version == 2 and updated.family_name_folded == "jones"
    versions = RecordVersion.objects.filter(record_id=person.ref).order_by("version")
    assert [v.data["family_name"] for v in versions] == ["Jones-Pritchard", "Jones"]
    assert versions[1].reason == "Mother confirmed the family uses Jones only"


def test_is3_stale_update_is_refused_not_silently_applied(
    social_worker: User, gateway_worker: User
) -> None:
    person = services.create_person(social_worker, data=GOOD)
    services.update_person(
        gateway_worker,
        ref=person.ref,
        version=1,
        changes={"known_as": "Sian"},
        reason="Known as Sian at school",
    )
    with pytest.raises(Conflict) as conflict:
        services.update_person(
            social_worker,
            ref=person.ref,
            version=1,
            changes={"family_name": "Jones"},
            reason="Correction",
        )
    assert conflict.value.current_version == 2
    person.refresh_from_db()
    assert person.family_name == "Jones-Pritchard" and person.known_as == "Sian"


def test_update_cannot_make_an_unborn_baby_without_expected_date(social_worker: User) -> None:
    person = services.create_person(
        social_worker,
        data={"kind": "unborn", "family_name": "Evans", "expected_date": "2027-01-05"},
    )
    with pytest.raises(Refused) as refused:
        services.update_person(
            social_worker,
            ref=person.ref,
            version=1,
            changes={"expected_date": None},
            reason="Unknown",
        )
    assert "expected_date" in refused.value.errors


def test_is1_other_school_cannot_update_child(other_school_dsl: User, child: Person) -> None:
    with pytest.raises(NotFound):
        services.update_person(
            other_school_dsl, ref=child.ref, version=1, changes={"known_as": "x"}, reason="x"
        )


def test_sm1_add_involvement_with_named_professional(
    social_worker: User, child: Person, school: Agency
) -> None:
    gp = AgencyFactory(slug="meddygfa-aberwen", name="Meddygfa Aberwen", type="gp_practice")
    doctor = UserFactory(username="dr.rahman", agency=gp, roles=["health_practitioner"])
    involvement = services.add_involvement(
        social_worker,
        person_ref=child.ref,
        agency_slug="meddygfa-aberwen",
        role="gp",
        start_date="2020-01-01",
        professional="dr.rahman",
    )
    assert involvement.professional == doctor
    assert RecordVersion.objects.filter(record_kind="involvement").count() == 1


def test_sm1_add_involvement_refusals_name_each_field(social_worker: User, child: Person) -> None:
    with pytest.raises(Refused) as refused:
        services.add_involvement(
            social_worker,
            person_ref=child.ref,
            agency_slug="no-such-agency",
            role="wizard",
            start_date="2999-01-01",
        )
    assert set(refused.value.errors) == {"agency", "role", "start_date"}


def test_is1_school_dsl_may_only_record_their_own_agency(
    school_dsl: User, child: Person, police: Agency
) -> None:
    with pytest.raises(Refused) as refused:
        services.add_involvement(
            school_dsl,
            person_ref=child.ref,
            agency_slug="gaerwen-police",
            role="police",
            start_date="2025-01-01",
        )
    assert "agency" in refused.value.errors


def test_end_involvement_needs_reason_and_current_version(
    social_worker: User, child: Person
) -> None:
    involvement = Involvement.objects.get(person=child)
    with pytest.raises(Refused) as refused:
        services.end_involvement(
            social_worker,
            involvement_id=involvement.pk,
            version=1,
            end_date="2020-01-01",
            reason="",
        )
    assert set(refused.value.errors) == {"end_date", "end_reason"}
    ended = services.end_involvement(
        social_worker,
        involvement_id=involvement.pk,
        version=1,
        end_date="2025-07-18",
        reason="Moved to secondary school",
    )
    assert ended.version == 2 and ended.end_date == dt.date(2025, 7, 18)
    with pytest.raises(Conflict):
        services.end_involvement(
            social_worker,
            involvement_id=involvement.pk,
            version=1,
            end_date="2025-07-18",
            reason="again",
        )
