"""Reading the shared record: the only way in, always for a named user, always audited (IS1, IS4).

Every function takes the requesting user first, narrows by the scope the sharing rules give
them (``tarian.agencies.access``) and records the read. A record the user may not see is
answered exactly like one that does not exist (``NotFound``), so existence never leaks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Lag
from django.utils import timezone

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction, AccessEvent, RecordVersion
from tarian.audit.services import record_access, record_accesses
from tarian.errors import Forbidden, NotFound, Restricted
from tarian.people import record_reads
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


def _with_details(person: Person) -> None:
    """Load the person's other names and address history (two indexed reads)."""
    prefetch_related_objects(
        [person],
        "names",
        Prefetch(
            "residences",
            queryset=Residence.objects.select_related("address").order_by("-start_date", "pk"),
        ),
    )


def involvements_of(
    user: User, person: Person, *, readable: bool = False
) -> QuerySet[Involvement]:
    """The person's involvements the user may read: every one, if their role reads
    involvements and they may see the person; none otherwise (IS1). ``readable``: the person
    came from ``people_for(user)``, so the person need not be tested again."""
    if scope_for(user, RecordKind.INVOLVEMENT, Action.READ) == Scope.NONE:
        return Involvement.objects.none()
    involvements = Involvement.objects.filter(person=person)
    if readable:
        return involvements
    # Tested for this one person (a correlated test), never an IN over everyone visible.
    return involvements.filter(Exists(people_for(user).filter(pk=OuterRef("person_id"))))


def _involvements(user: User, person: Person) -> tuple[bool, list[Involvement]]:
    """Whether the user may see who is involved with the person, and if so every involvement,
    current ones first (newest first), then past ones."""
    if scope_for(user, RecordKind.INVOLVEMENT, Action.READ) == Scope.NONE:
        return False, []
    on = today()
    involvements = list(
        involvements_of(user, person, readable=True)
        .select_related("agency", "team", "professional")
        .order_by("end_date", "-start_date")
    )
    involvements.sort(key=lambda i: (not i.is_current(on), -i.start_date.toordinal()))
    return True, involvements


def _may_write(user: User, person: Person) -> bool:
    """May the user change this person, who is already known to be readable by them?

    Usually answered from the rules alone: the write scope is the read scope or wider, and the
    restriction test is the same for both. Only a write scope narrower than the read scope
    needs the database."""
    if person.merged_into_id is not None:
        return False
    write = scope_for(user, RecordKind.PERSON, Action.WRITE)
    if write == Scope.NONE:
        return False
    if write == Scope.ALL or scope_for(user, RecordKind.PERSON, Action.READ) == Scope.INVOLVED:
        return True
    return people_for(user, Action.WRITE).filter(pk=person.pk).exists()


def _audit_view(user: User, person: Person, detail: dict[str, str] | None = None) -> None:
    """The person's record was shown to the user (IS4): one row, one plain statement."""
    record_accesses(
        user,
        action=AccessAction.VIEW,
        record_kind=RecordKind.PERSON,
        person_ids=[person.pk],
        record_ids=[person.ref],
        detail=detail,
    )


def person_for_form(user: User, ref: str, *, form: str) -> Person:
    """The person a form about them is shown for (``form``: "edit", "upload" ...), if the user
    may change the record; ``NotFound``/``Restricted`` as ``person_for``. The form shows the
    record, so showing it is audited (IS4)."""
    person = person_for(user, ref, Action.WRITE)
    audit_form(user, person, form=form)
    return person


def audit_form(user: User, person: Person, *, form: str) -> None:
    """Audit a form about the person shown again (with the user's errors) (IS4)."""
    _audit_view(user, person, {"form": form})


def read_person(user: User, ref: str) -> record_reads.PersonRecordRow:
    """A person, their other names, current address and involvements (those only if the user
    may see involvements), as the API's person read shows them; the read is audited.

    Two statements whatever the size of the register (issue 17): the person with everything
    shown, found by Tarian ID and tested against the user's scope in the same statement
    (``record_reads``, written once: this read answers every partner system's lookup), and
    the access event."""
    on = today()
    may_see_involvements = scope_for(user, RecordKind.INVOLVEMENT, Action.READ) != Scope.NONE
    found = record_reads.person_record(user, ref, on=on, with_involvements=may_see_involvements)
    if found is None:
        person_for(user, ref)  # raises why: NotFound or Restricted
        raise NotFound(ref)  # the two reads disagree: answer as for a record not there
    _audit_view(user, found.person)
    return found


def involvements_for(user: User, ref: str) -> list[Involvement]:
    """Everyone involved with the person (current first, newest first), if the user may read
    the person and see involvements (``NotFound``/``Restricted``/``Forbidden`` otherwise);
    audited as a view of the record."""
    on = today()
    person = record_reads.readable_person(user, ref, on=on)
    if person is None:
        person_for(user, ref)
        raise NotFound(ref)
    if scope_for(user, RecordKind.INVOLVEMENT, Action.READ) == Scope.NONE:
        raise Forbidden(ref)
    _audit_view(user, person)
    return record_reads.involvements_of(person, on=on)


def view_person(user: User, ref: str) -> PersonRecord:
    """A person's whole record as the user may see it; the read is audited.

    Relatives and household members are found from the person's own relationships and
    households (indexed by the person), and only those few are then checked against the
    user's scope, so the page costs the same however large the register is (issue 17)."""
    person = person_for(user, ref)
    _with_details(person)
    relationships = list(
        Relationship.objects.filter(Q(person=person) | Q(relative=person))
        .select_related("person", "relative")
        .order_by("kind", "pk")
    )
    members = list(
        HouseholdMember.objects.filter(
            household__members__person=person,
            household__members__end_date__isnull=True,
            end_date__isnull=True,
        )
        .exclude(person=person)
        .select_related("person", "household__address")
        .order_by("household", "start_date", "pk")
        .distinct()
    )
    others = {r.person_id for r in relationships} | {r.relative_id for r in relationships}
    others |= {m.person_id for m in members}
    others.discard(person.pk)
    visible_ids = (
        set(people_for(user).filter(pk__in=others).values_list("pk", flat=True))
        if others
        else set()
    )

    relatives: list[Relative] = []
    for rel in relationships:
        if rel.person_id == person.pk and rel.relative_id != person.pk:
            other = rel.relative
            label = str(INVERSE_LABELS[rel.kind])
            relatives.append(Relative(other if other.pk in visible_ids else None, label, False))
    for rel in relationships:
        if rel.relative_id == person.pk and rel.person_id != person.pk:
            other = rel.person
            relatives.append(
                Relative(
                    other if other.pk in visible_ids else None,
                    str(rel.get_kind_display()),
                    rel.has_parental_responsibility,
                )
            )
    shown = [m for m in members if m.person_id in visible_ids]
    may_see_involvements, involvements = _involvements(user, person)
    _audit_view(user, person)
    return PersonRecord(
        person=person,
        aliases=list(person.names.all()),
        residences=list(person.residences.all()),
        household=shown,
        household_hidden=len(members) - len(shown),
        relatives=relatives,
        involvements=involvements,
        may_see_involvements=may_see_involvements,
        may_see_access_log=_may_person_scoped(user, RecordKind.ACCESS_LOG, person, readable=True),
        may_see_history=_may_person_scoped(user, RecordKind.RECORD_HISTORY, person, readable=True),
        may_edit=_may_write(user, person),
    )


def _may_person_scoped(
    user: User, record_kind: str, person: Person, *, readable: bool = False
) -> bool:
    """May the user read this kind of record about the person? ``readable``: the person came
    from ``people_for(user)``, so an ``involved`` scope needs no further query."""
    scope = scope_for(user, record_kind, Action.READ)
    if scope == Scope.ALL:
        return True
    if scope == Scope.INVOLVED:
        return readable or people_for(user).filter(pk=person.pk).exists()
    return False


def access_log(user: User, ref: str) -> tuple[Person, QuerySet[AccessEvent]]:
    """Who has viewed or changed this person's record (IS4): for permitted roles only."""
    person = person_for(user, ref)
    if not _may_person_scoped(user, RecordKind.ACCESS_LOG, person, readable=True):
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
    """Every version of the person's record and their involvements, with who and why (IS3),
    each with ``previous_data``: the version before it of the same record (None for its first),
    read in the same statement so that a page shows what changed without a query per entry
    (#20 item 10; ``people.history.history_entries``)."""
    person = person_for(user, ref)
    if not _may_person_scoped(user, RecordKind.RECORD_HISTORY, person, readable=True):
        raise NotFound(ref)
    record_access(
        user,
        action=AccessAction.VIEW,
        record_kind=RecordKind.RECORD_HISTORY,
        record_id=person.ref,
        person_id=person.pk,
    )
    previous = Window(
        Lag("data"),
        partition_by=[F("record_kind"), F("record_id")],
        order_by=[F("version").asc(), F("id").asc()],
    )
    versions = (
        RecordVersion.objects.filter(person_id=person.pk)
        .annotate(previous_data=previous)
        .order_by("-changed_at", "-id")
    )
    return person, versions


def living_with(user: User, refs: list[str]) -> list[Person]:
    """The people the user may see who share a current household with these children (to
    prefill a referral's household: record once); showing them is audited (IS4)."""
    from tarian.people.models import HouseholdMember

    on = today()
    current = Q(end_date__isnull=True) | Q(end_date__gte=on)
    households = HouseholdMember.objects.filter(current, person__ref__in=refs).values(
        "household_id"
    )
    members = HouseholdMember.objects.filter(current, household_id__in=households).values(
        "person_id"
    )
    living = list(
        people_for(user)
        .filter(pk__in=members)
        .exclude(ref__in=refs)
        .order_by("-kind", "family_name", "given_name")[:12]
    )
    audit_listed(user, [p.pk for p in living], shown_on="household")
    return living


def related_to(user: User, refs: list[str]) -> list[Person]:
    """The people the user may see with a current relationship to these children, either way
    (parents, carers, siblings, partners: to offer on a referral with one click, #20 item 8);
    showing them is audited (IS4)."""
    from tarian.people.models import Relationship

    on = today()
    current = Q(end_date__isnull=True) | Q(end_date__gte=on)
    theirs = Relationship.objects.filter(current, relative__ref__in=refs).values("person_id")
    ours = Relationship.objects.filter(current, person__ref__in=refs).values("relative_id")
    related = list(
        people_for(user)
        .filter(Q(pk__in=theirs) | Q(pk__in=ours))
        .exclude(ref__in=refs)
        .order_by("-kind", "family_name", "given_name")[:12]
    )
    audit_listed(user, [p.pk for p in related], shown_on="relationships")
    return related


def chosen_people(user: User, refs: list[str]) -> list[Person]:
    """The people a form has chosen (by Tarian ID), those the user may see, in the order
    chosen; showing them is audited (IS4)."""
    if not refs:
        return []
    found = {p.ref: p for p in people_for(user).filter(ref__in=refs)}
    chosen = [found[ref] for ref in dict.fromkeys(refs) if ref in found]
    audit_listed(user, [p.pk for p in chosen], shown_on="form")
    return chosen


def audit_listed(user: User, person_ids: list[int], *, shown_on: str) -> None:
    """Audit that a list showed these people (IS4): one event each, in one statement."""
    record_accesses(
        user,
        action=AccessAction.LIST,
        record_kind=RecordKind.PERSON,
        person_ids=list(dict.fromkeys(person_ids)),
        detail={"list": shown_on},
    )


@dataclass
class HomePeople:
    """The people on a user's home page: those they opened lately, and their caseload."""

    recent: list[Person] = field(default_factory=list)
    caseload: list[Involvement] = field(default_factory=list)
    caseload_count: int = 0


def home_people(
    user: User, *, recent_limit: int = 8, caseload_limit: int = 10, today: dt.date | None = None
) -> HomePeople:
    """The records the user opened most lately (still visible to them), and their caseload: the
    children their agency is currently involved with — for a social worker, those allocated to
    them or unallocated in their team. Showing them is a read of each (IS4), audited here."""
    if scope_for(user, RecordKind.PERSON, Action.LIST) == Scope.NONE:
        return HomePeople()
    seen = (
        AccessEvent.objects.filter(user=user, action=AccessAction.VIEW, record_kind="person")
        .order_by("-at")
        .values_list("person_id", flat=True)[:50]
    )
    ids: list[int] = []
    for pid in seen:
        if pid is not None and pid not in ids:
            ids.append(pid)
    visible = {p.pk: p for p in people_for(user).filter(pk__in=ids[:recent_limit])}
    home = HomePeople(recent=[visible[i] for i in ids[:recent_limit] if i in visible])
    if user.agency_id is not None:
        today = today or timezone.localdate()
        involved = (
            Involvement.objects.filter(agency_id=user.agency_id, end_date__isnull=True)
            .filter(start_date__lte=today, person__in=people_for(user))
            .select_related("person")
            .order_by("person__family_name", "person__given_name")
        )
        if user.has_role("social_worker"):
            involved = involved.filter(
                Q(professional=user) | Q(professional__isnull=True, team_id=user.team_id)
            )
        home.caseload_count = involved.count()
        home.caseload = list(involved[:caseload_limit])
    audit_listed(
        user, [p.pk for p in home.recent] + [i.person_id for i in home.caseload], shown_on="home"
    )
    return home
