"""Reading the shared record: the only way in, always for a named user, always audited (IS1, IS4).

Every function takes the requesting user first, narrows by the scope the sharing rules give
them (``tarian.agencies.access``) and records the read. A record the user may not see is
answered exactly like one that does not exist (``NotFound``), so existence never leaks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction, AccessEvent, RecordVersion
from tarian.audit.services import record_access, record_accesses
from tarian.core.text import fold
from tarian.errors import NotFound, Restricted
from tarian.people.models import (
    INVERSE_LABELS,
    HouseholdMember,
    Involvement,
    Person,
    PersonName,
    Relationship,
    Residence,
)
from tarian.people.restriction import restriction_filter

REF_PATTERN = re.compile(r"^T[0-9A-HJKMNP-TV-Z]{8}$")


def today() -> dt.date:
    return timezone.localdate()


def _current_involvement_of(agency_id: int, on: dt.date) -> Exists:
    return Exists(
        Involvement.objects.filter(
            person=OuterRef("pk"), agency_id=agency_id, start_date__lte=on
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    )


def people_in_scope(user: User, action: str = Action.READ) -> QuerySet[Person]:
    """Everyone the sharing rules give this user, before restricted records are taken out.

    Only for deciding whether someone may break the glass; everything else uses ``people_for``.
    """
    scope = scope_for(user, RecordKind.PERSON, action)
    # A merged duplicate is hidden from searches and lists, and nothing more is written to it
    # (what is new belongs on the record kept); read by its ID it explains the merge (IS3).
    people = Person.objects.all()
    if action in (Action.LIST, Action.WRITE):
        people = people.filter(merged_into__isnull=True)
    if scope == Scope.ALL:
        return people
    if scope == Scope.INVOLVED and user.agency_id is not None:
        return people.filter(
            _current_involvement_of(user.agency_id, today())
            | Q(created_by_agency_id=user.agency_id)
        )
    return Person.objects.none()


def people_for(user: User, action: str = Action.READ) -> QuerySet[Person]:
    """Everyone this user may see for this action: the base of every person query."""
    return people_in_scope(user, action).filter(restriction_filter(user))


def person_for(user: User, ref: str, action: str = Action.READ) -> Person:
    """One person the user may act on (not audited: callers audit the use).

    ``NotFound`` if the record does not exist or is outside the user's scope; ``Restricted`` if
    it is in scope but restricted and the user is neither named nor has broken the glass.
    """
    try:
        return people_for(user, action).get(ref=ref)
    except Person.DoesNotExist:
        pass
    hidden = people_in_scope(user, action).filter(ref=ref).first()
    if hidden is None:
        raise NotFound(ref)
    raise Restricted(hidden.ref)


def restricted_matches(user: User, text: str, *, limit: int = 5) -> list[str]:
    """Tarian IDs of restricted records matching a search that the user may break the glass on.

    Only the ID is shown, so that a duty worker knows a record exists without learning whose.
    """
    query = parse_search(text)
    if query.kind == "empty":
        return []
    base = people_in_scope(user, Action.LIST).filter(is_restricted=True).exclude(
        restriction_filter(user)
    )
    if query.kind == "nhs_number":
        found = base.filter(nhs_number=query.text)
    elif query.kind == "ref":
        found = base.filter(ref=query.text)
    else:
        found = base.filter(_name_filter(query.text))
    return list(found.order_by("ref").values_list("ref", flat=True)[:limit])


@dataclass(frozen=True)
class Relative:
    person: Person | None  # None: the user may not see this relative's record
    label: str
    has_parental_responsibility: bool


@dataclass(frozen=True)
class PersonRecord:
    """Everything on a person's page, already narrowed to what the viewer may see."""

    person: Person
    aliases: list[PersonName]
    residences: list[Residence]
    household: list[HouseholdMember]
    household_hidden: int
    relatives: list[Relative]
    involvements: list[Involvement]
    may_see_involvements: bool
    may_see_access_log: bool
    may_see_history: bool
    may_edit: bool
    extra: dict[str, object] = field(default_factory=dict)


def view_person(user: User, ref: str) -> PersonRecord:
    """A person's whole record as the user may see it; the read is audited."""
    person = person_for(user, ref)
    on = today()
    visible_ids = set(
        people_for(user)
        .filter(
            Q(relationships__relative=person)
            | Q(relationships_to__person=person)
            | Q(memberships__household__members__person=person)
        )
        .values_list("pk", flat=True)
    )
    visible_ids.add(person.pk)

    relatives: list[Relative] = []
    outgoing = Relationship.objects.filter(person=person).select_related("relative")
    incoming = Relationship.objects.filter(relative=person).select_related("person")
    for rel in outgoing:
        other = rel.relative
        label = str(INVERSE_LABELS[rel.kind])
        relatives.append(Relative(other if other.pk in visible_ids else None, label, False))
    for rel in incoming:
        other = rel.person
        relatives.append(
            Relative(
                other if other.pk in visible_ids else None,
                str(rel.get_kind_display()),
                rel.has_parental_responsibility,
            )
        )

    members = list(
        HouseholdMember.objects.filter(
            household__members__person=person,
            household__members__end_date__isnull=True,
            end_date__isnull=True,
        )
        .exclude(person=person)
        .select_related("person", "household__address")
        .distinct()
    )
    shown = [m for m in members if m.person_id in visible_ids]

    may_see_involvements = scope_for(user, RecordKind.INVOLVEMENT, Action.READ) != Scope.NONE
    involvements: list[Involvement] = []
    if may_see_involvements:
        involvements = list(
            Involvement.objects.filter(person=person)
            .select_related("agency", "team", "professional")
            .order_by("end_date", "-start_date")
        )
        involvements.sort(key=lambda i: (not i.is_current(on), -i.start_date.toordinal()))

    record_access(
        user,
        action=AccessAction.VIEW,
        record_kind=RecordKind.PERSON,
        record_id=person.ref,
        person_id=person.pk,
    )
    return PersonRecord(
        person=person,
        aliases=list(person.names.all()),
        residences=list(person.residences.select_related("address").order_by("-start_date")),
        household=shown,
        household_hidden=len(members) - len(shown),
        relatives=relatives,
        involvements=involvements,
        may_see_involvements=may_see_involvements,
        may_see_access_log=_may_person_scoped(user, RecordKind.ACCESS_LOG, person),
        may_see_history=_may_person_scoped(user, RecordKind.RECORD_HISTORY, person),
        may_edit=people_for(user, Action.WRITE).filter(pk=person.pk).exists(),
    )


def _may_person_scoped(user: User, record_kind: str, person: Person) -> bool:
    scope = scope_for(user, record_kind, Action.READ)
    if scope == Scope.ALL:
        return True
    if scope == Scope.INVOLVED:
        return people_for(user).filter(pk=person.pk).exists()
    return False


@dataclass(frozen=True)
class SearchQuery:
    kind: str  # "nhs_number", "ref", "name" or "empty"
    text: str


def parse_search(text: str) -> SearchQuery:
    raw = text.strip()
    digits = re.sub(r"[\s-]", "", raw)
    if digits.isdigit() and len(digits) == 10:
        return SearchQuery("nhs_number", digits)
    if REF_PATTERN.match(raw.upper()):
        return SearchQuery("ref", raw.upper())
    folded = fold(raw)
    if len(folded) < 2:
        return SearchQuery("empty", folded)
    return SearchQuery("name", folded)


def search_people(user: User, text: str, *, limit: int = 25) -> list[Person]:
    """Type-ahead search by name (current and previous names), NHS number or Tarian ID."""
    query = parse_search(text)
    base = people_for(user, Action.LIST)
    if query.kind == "empty":
        return []
    if query.kind == "nhs_number":
        found = base.filter(nhs_number=query.text)
    elif query.kind == "ref":
        found = base.filter(ref=query.text)
    else:
        found = base.filter(_name_filter(query.text))
    people: list[Person] = list(
        found.prefetch_related(
            Prefetch(
                "residences",
                queryset=Residence.objects.filter(end_date__isnull=True).select_related("address"),
                to_attr="current_residences",
            )
        ).order_by("family_name_folded", "given_name_folded", "date_of_birth", "pk")[:limit]
    )
    record_accesses(
        user,
        action=AccessAction.SEARCH,
        record_kind=RecordKind.PERSON,
        person_ids=[p.pk for p in people],
        detail={"query_kind": query.kind},
    )
    return people


def _name_filter(folded: str) -> Q:
    """Every word must start a given or family name, current or previous."""
    words = folded.split()
    condition = Q()
    for word in words:
        on_person = Q(given_name_folded__startswith=word) | Q(family_name_folded__startswith=word)
        alias = PersonName.objects.filter(person=OuterRef("pk")).filter(
            Q(given_name_folded__startswith=word) | Q(family_name_folded__startswith=word)
        )
        condition &= on_person | Q(Exists(alias))
    return condition


def access_log(user: User, ref: str) -> tuple[Person, QuerySet[AccessEvent]]:
    """Who has viewed or changed this person's record (IS4): for permitted roles only."""
    person = person_for(user, ref)
    if not _may_person_scoped(user, RecordKind.ACCESS_LOG, person):
        raise NotFound(ref)
    record_access(
        user,
        action=AccessAction.VIEW,
        record_kind=RecordKind.ACCESS_LOG,
        record_id=person.ref,
        person_id=person.pk,
    )
    return person, AccessEvent.objects.filter(person_id=person.pk).order_by("-at", "-id")


def record_history(user: User, ref: str) -> tuple[Person, QuerySet[RecordVersion]]:
    """Every version of the person's record and their involvements, with who and why (IS3)."""
    person = person_for(user, ref)
    if not _may_person_scoped(user, RecordKind.RECORD_HISTORY, person):
        raise NotFound(ref)
    record_access(
        user,
        action=AccessAction.VIEW,
        record_kind=RecordKind.RECORD_HISTORY,
        record_id=person.ref,
        person_id=person.pk,
    )
    return person, RecordVersion.objects.filter(person_id=person.pk).order_by("-changed_at", "-id")


def living_with(user: User, refs: list[str]) -> list[Person]:
    """The people the user may see who share a current household with these children (to
    prefill a referral's household: record once)."""
    from tarian.people.models import HouseholdMember

    on = today()
    current = Q(end_date__isnull=True) | Q(end_date__gte=on)
    households = HouseholdMember.objects.filter(current, person__ref__in=refs).values(
        "household_id"
    )
    members = HouseholdMember.objects.filter(current, household_id__in=households).values(
        "person_id"
    )
    return list(
        people_for(user)
        .filter(pk__in=members)
        .exclude(ref__in=refs)
        .order_by("-kind", "family_name", "given_name")[:12]
    )
