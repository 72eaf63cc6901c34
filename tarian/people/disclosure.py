"""What the shared record holds about a person, for their subject access export (IS4, PC2).

The person's own details, other names, addresses, households, relationships and involvements,
and the history of changes to their record. Relatives and household members are withheld (how
they are related, and how many there are, are kept), as are the professionals' names.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from tarian.agencies.models import RecordKind
from tarian.audit.models import RecordVersion
from tarian.core.disclosure import (
    STAFF,
    WITHHELD,
    Disclosure,
    Table,
    choice_label,
    disclosure_section,
    iso_day,
    iso_moment,
    not_disclosed,
)
from tarian.people import vocabulary
from tarian.people.models import (
    INVERSE_LABELS,
    BreakGlass,
    DuplicateCandidate,
    HouseholdMember,
    Involvement,
    InvolvementRole,
    MatchKey,
    Merge,
    Person,
    PersonName,
    Relationship,
    RelationshipKind,
    Residence,
    RestrictedAccess,
)
from tarian.people.services import PERSON_FIELDS

# What an earlier version of each kind of record may show: (fields kept, fields naming someone
# else, shown as withheld). Versions of any other kind of record keep only their date, agency
# and reason until someone decides which of their fields are safe to release.
VERSION_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    RecordKind.PERSON: ((*PERSON_FIELDS, "address"), ()),
    RecordKind.INVOLVEMENT: (
        ("agency", "team", "role", "start_date", "end_date", "end_reason"),
        ("professional", "professional_name"),
    ),
    RecordKind.RESTRICTION: (("restricted",), ("named",)),
}


NOT_DISCLOSED = [
    not_disclosed(MatchKey, "the matcher's index of the record's own names and dates"),
    not_disclosed(DuplicateCandidate, "a suggestion that two records may be one person; a "
                  "merge or a decision on it is in the record's history and who has viewed it"),
    not_disclosed(Merge, "each merge is a new version of the record, with its reason, in the "
                  "record's history"),
    not_disclosed(RestrictedAccess, "who may see a restricted record are staff (withheld); "
                  "that the record is restricted is in the person's details and the record's "
                  "history"),
    not_disclosed(BreakGlass, "each opening of a restricted record is in who has viewed it"),
]


@disclosure_section(
    "person",
    order=10,
    records=[Person],
    tables=[Table("The person", ("person",), (("Detail", 1, ""), ("Held", 2, "")), fields=True)],
)
def person(disclosure: Disclosure[Person]) -> dict[str, Any]:
    who = disclosure.person
    return {
        "tarian_id": who.ref, "kind": who.get_kind_display(),
        "given_name": who.given_name, "family_name": who.family_name,
        "known_as": who.known_as, "other_names": list(who.other_names),
        "date_of_birth": iso_day(who.date_of_birth),
        "expected_date": iso_day(who.expected_date), "sex": who.get_sex_display(),
        "ethnicity": vocabulary.label("ethnicity", who.ethnicity),
        "first_language": vocabulary.label("language", who.first_language),
        "welsh_active_offer": who.get_welsh_active_offer_display(),
        "interpreter_needed": who.interpreter_needed, "nhs_number": who.nhs_number,
        "upn": who.upn, "record_restricted": who.is_restricted,
    }


@disclosure_section(
    "names",
    order=20,
    records=[PersonName],
    tables=[Table("Other names", ("names",), (
        ("Kind", 1, "kind"), ("Given name", 1, "given_name"), ("Family name", 1, "family_name"),
        ("Used until", 1, "used_until"),
    ))],
)
def names(disclosure: Disclosure[Person]) -> list[dict[str, Any]]:
    return [
        {"kind": name.get_kind_display(), "given_name": name.given_name,
         "family_name": name.family_name, "used_until": iso_day(name.used_until)}
        for name in disclosure.person.names.order_by("kind", "id")
    ]


@disclosure_section(
    "addresses",
    order=30,
    records=[Residence],
    tables=[Table("Addresses", ("addresses",), (
        ("Address", 4, "address"), ("UPRN", 1, "uprn"), ("From", 1, "from"), ("To", 1, "to"),
    ))],
)
def addresses(disclosure: Disclosure[Person]) -> list[dict[str, Any]]:
    return [
        {"address": str(r.address), "uprn": r.address.uprn, "from": iso_day(r.start_date),
         "to": iso_day(r.end_date)}
        for r in disclosure.person.residences.select_related("address").order_by(
            F("start_date").asc(nulls_first=True), "id"
        )
    ]


@disclosure_section(
    "households",
    order=40,
    records=[HouseholdMember],
    tables=[Table("Households", ("households",), (
        ("Address", 4, "address"), ("From", 1, "from"), ("To", 1, "to"),
        ("Other people in it", 1, "other_people"),
    ))],
    withheld=[
        "- Relatives and household members: their names, dates of birth and identifiers are "
        f'replaced by "{WITHHELD}". How they are related, and how many people there are, '
        "are kept.",
    ],
)
def households(disclosure: Disclosure[Person]) -> list[dict[str, Any]]:
    who = disclosure.person
    memberships = (
        HouseholdMember.objects.filter(person=who)
        .select_related("household__address")
        .annotate(others=Count("household__members__person", distinct=True,
                               filter=~Q(household__members__person=who)))
        .order_by(F("start_date").asc(nulls_first=True), "id")
    )
    return [
        {"address": str(m.household.address or ""), "from": iso_day(m.start_date),
         "to": iso_day(m.end_date), "other_people": m.others}
        for m in memberships
    ]


@disclosure_section(
    "relationships",
    order=50,
    records=[Relationship],
    tables=[Table("Relationships (other people's names withheld)", ("relationships", "items"), (
        ("Relationship", 2, "relationship"), ("Person", 2, "person"),
        ("Has parental responsibility", 2, "has_parental_responsibility_for_this_person"),
        ("Current", 1, "current"),
    ))],
)
def relationships(disclosure: Disclosure[Person]) -> dict[str, Any]:
    who, now = disclosure.person, disclosure.now
    items: list[dict[str, Any]] = []
    others: set[int] = set()
    # No dates: a relationship often starts on the other person's date of birth.
    for rel in Relationship.objects.filter(Q(person=who) | Q(relative=who)).order_by("id"):
        outgoing = rel.person_id == who.pk
        others.add(rel.relative_id if outgoing else rel.person_id)
        kind = INVERSE_LABELS[rel.kind] if outgoing else choice_label(RelationshipKind, rel.kind)
        items.append({
            "relationship": str(kind), "person": WITHHELD,
            "has_parental_responsibility_for_this_person": (
                not outgoing and rel.has_parental_responsibility
            ),
            "current": rel.end_date is None or rel.end_date >= timezone.localdate(now),
        })
    return {"people": len(others), "items": items}


@disclosure_section(
    "involvements",
    order=60,
    records=[Involvement],
    tables=[Table("Agencies involved", ("involvements",), (
        ("Agency", 3, "agency"), ("Team", 2, "team"), ("Role", 2, "role"),
        ("Professional", 2.2, "professional"), ("From", 1.7, "from"), ("To", 1.7, "to"),
        ("Why it ended", 2, "end_reason"),
    ))],
    before_release=[
        "- Reasons for changes, reasons an involvement ended and document titles are "
        "included as staff wrote them. The disclosure officer must read them and remove "
        "anything about other people.",
    ],
)
def involvements(disclosure: Disclosure[Person]) -> list[dict[str, Any]]:
    return [
        {"agency": i.agency.name, "team": i.team.name if i.team else "",
         "role": choice_label(InvolvementRole, i.role),
         "professional": WITHHELD if i.professional_id or i.professional_name else "",
         "from": iso_day(i.start_date), "to": iso_day(i.end_date), "end_reason": i.end_reason}
        for i in Involvement.objects.filter(person=disclosure.person)
        .select_related("agency", "team")
        .order_by("start_date", "id")
    ]


@disclosure_section(
    "record_history",
    order=90,
    records=[],  # versions of every record about the person, by person id
    tables=[Table("Changes to the record", ("record_history",), (
        ("When", 2, "changed_at"), ("Record", 1.8, "record"), ("Version", 1.4, "version"),
        ("Agency", 2, "agency"), ("Changed by", 1.6, "changed_by"), ("Why", 2.5, "reason"),
        ("The record as it stood", 4, "data"),
    ))],
    withheld=[
        "- Earlier versions of kinds of record not yet reviewed for release show only their "
        "date, organisation and reason.",
    ],
)
def record_history(disclosure: Disclosure[Person]) -> list[dict[str, Any]]:
    versions = RecordVersion.objects.filter(
        person_id=disclosure.person.pk, changed_at__lte=disclosure.now
    ).order_by("changed_at", "id")
    return [_version(v, disclosure.agency(v.changed_by_id, v.agency_name)) for v in versions]


def _version(version: RecordVersion, agency: str) -> dict[str, Any]:
    data: dict[str, Any] | str = "[withheld: not yet reviewed for release]"
    if version.record_kind in VERSION_FIELDS:
        kept, masked = VERSION_FIELDS[version.record_kind]
        shown = {k: version.data[k] for k in kept if k in version.data}
        data = shown | {k: WITHHELD for k in masked if version.data.get(k)}
    return {
        "changed_at": iso_moment(version.changed_at),
        "record": choice_label(RecordKind, version.record_kind),
        "version": version.version, "agency": agency, "changed_by": STAFF,
        "reason": version.reason, "data": data,
    }
