"""The whole child, before the Gateway decides (FD6, #20 item 6).

For each child a referral names: their earlier referrals (``history``), counting those on a
record that may be the same child; a police referral about them still waiting for the police
supervisor; the open referrals about their brothers and sisters (the people app's
relationships) and about the others in their household (their current households, and the
household the referral names); and who knows them now, with the named professional of each
agency and how to reach them.

Everything is narrowed for the reader (IS1): referrals by the sharing rules, exactly as
``selectors.referrals_for``; people by ``people_for``, so a restricted record is not named to
anyone not named on it. An open referral about a relative the reader may not open is counted,
never shown, as the person's page counts household members it does not show. A fixed number of
queries however many children, relatives and referrals there are (issue 17).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, Subquery
from django.utils import timezone

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.people.duplicates import open_duplicates_of
from tarian.people.matching.answers import possible_duplicates
from tarian.people.matching.engine import Candidate
from tarian.people.models import (
    HouseholdMember,
    Involvement,
    Person,
    Relationship,
    RelationshipKind,
)
from tarian.people.selectors import audit_listed, people_for
from tarian.referrals.history import ChildHistory, earlier_referrals
from tarian.referrals.models import Referral, ReferralStatus
from tarian.referrals.selectors import referral_scope

# Open: not yet decided and signed off (a decision waiting for sign-off may still change).
OPEN = [status for status in ReferralStatus.values if status != ReferralStatus.DECIDED]
# A police referral that has not reached the Gateway: with the supervisor, or sent back.
AT_THE_SUPERVISOR = (ReferralStatus.AWAITING_SUPERVISOR, ReferralStatus.RETURNED_TO_REFERRER)
SIBLINGS = (RelationshipKind.SIBLING, RelationshipKind.HALF_SIBLING)


@dataclass(frozen=True)
class Contact:
    """An agency that knows the child now, its named professional and how to reach them: the
    professional's own phone and email when they have an account, else the agency's email."""

    involvement: Involvement
    name: str
    job_title: str
    phone: str
    email: str
    is_agency_email: bool


@dataclass(frozen=True)
class Nearby:
    """An open referral about someone close to the child: a brother or sister, or someone in
    their household (``label``: how they are related)."""

    referral: Referral
    person: Person
    label: str


@dataclass(frozen=True)
class WholeChild:
    history: ChildHistory
    duplicates: list[tuple[Candidate, Person]]
    known_to: list[Contact]
    at_the_supervisor: list[Referral]
    siblings: list[Nearby] = field(default_factory=list)
    household: list[Nearby] = field(default_factory=list)
    # Open referrals about a brother, sister or household member the reader may not open.
    hidden_nearby: int = 0

    @property
    def child(self) -> Person:
        return self.history.child


def contact_of(involvement: Involvement) -> Contact:
    """Who to call at an agency involved with the child (the professional with an account, or
    the name the agency recorded; the agency's email when there is no one's own)."""
    professional = involvement.professional
    name = involvement.professional_name
    phone = email = job_title = ""
    if professional is not None:
        name = name or str(professional)
        job_title = professional.job_title
        if professional.is_active:
            phone, email = professional.phone, professional.email
    agency_email = not email and bool(involvement.agency.email)
    return Contact(
        involvement=involvement,
        name=name,
        job_title=job_title,
        phone=phone,
        email=email or involvement.agency.email,
        is_agency_email=agency_email,
    )


@dataclass
class Seen:
    """Referrals already accounted for on one child's picture."""

    own: set[int]
    shown: set[int] = field(default_factory=set)
    hidden: set[int] = field(default_factory=set)


def _open_about(
    people: Iterable[tuple[Person, str]],
    about: dict[int, list[Referral]],
    openable: set[int],
    seen: Seen,
) -> list[Nearby]:
    """The open referrals about these people, each once, for those the reader may open; the
    rest only counted (``seen.hidden``)."""
    found = []
    for person, label in people:
        for other in about.get(person.pk, []):
            if other.pk in seen.own or other.pk in seen.shown:
                continue
            if person.pk in openable:
                seen.shown.add(other.pk)
                found.append(Nearby(other, person, label))
            else:
                seen.hidden.add(other.pk)
    return found


def whole_child(
    user: User, referral: Referral, *, now: dt.datetime | None = None
) -> list[WholeChild]:
    """What the reader sees of each child of the referral before a decision (see the module).

    The referral comes from ``selectors.referral_for(user, ...)``; the people shown beside it
    (brothers, sisters, household members) are audited as listed (IS4)."""
    within = referral_scope(user, via="referral__")
    if within is None:
        return []
    on = timezone.localdate(now or timezone.now())
    children = list(referral.children.all())
    ids = [child.pk for child in children]
    current = Q(end_date__isnull=True) | Q(end_date__gte=on)

    siblings: dict[int, dict[int, tuple[Person, str]]] = {pk: {} for pk in ids}
    for link in (
        Relationship.objects.filter(kind__in=SIBLINGS)
        .filter(Q(person_id__in=ids) | Q(relative_id__in=ids))
        .filter(current)
        .select_related("person", "relative")
        .order_by("kind", "pk")
    ):
        label = str(link.get_kind_display())
        for this, other in ((link.person_id, link.relative), (link.relative_id, link.person)):
            if this in siblings and other.pk != this:
                siblings[this].setdefault(other.pk, (other, label))

    # Their current households (one read), and the household the referral names.
    homes = list(
        HouseholdMember.objects.filter(current)
        .filter(
            household_id__in=Subquery(
                HouseholdMember.objects.filter(current, person_id__in=ids).values("household_id")
            )
        )
        .select_related("person")
        .order_by("household_id", "pk")
    )
    named_household = list(referral.household.all())
    household: dict[int, dict[int, Person]] = {pk: {} for pk in ids}
    for member in homes:
        if member.person_id in household:
            for mate in homes:
                if mate.household_id == member.household_id:
                    household[member.person_id].setdefault(mate.person_id, mate.person)
    for pk in ids:
        for person in named_household:
            household[pk].setdefault(person.pk, person)
        household[pk].pop(pk, None)
        for sibling in siblings[pk]:
            household[pk].pop(sibling, None)

    duplicates = open_duplicates_of(ids)
    nearby_ids = {pk for kin in siblings.values() for pk in kin}
    nearby_ids |= {pk for home in household.values() for pk in home}
    duplicate_ids = {pk for pks in duplicates.values() for pk in pks}
    asked = nearby_ids | duplicate_ids | set(ids)
    openable = set(people_for(user).filter(pk__in=sorted(asked)).values_list("pk", flat=True))

    histories = earlier_referrals(
        referral, now=now, duplicates=duplicates, hidden=duplicate_ids - openable, within=within
    )
    # Open referrals about the children (for one at the supervisor, and to leave their own
    # out of their relatives'), and about the people around them: as a child, or as one of
    # the household a referral names.
    about: dict[int, list[Referral]] = {}
    as_child = (
        Referral.children.through.objects.filter(
            person_id__in=sorted(nearby_ids | set(ids)), referral__status__in=OPEN
        )
        .filter(within)
        .exclude(referral_id=referral.pk)
        .select_related("referral__referrer_agency")
        .order_by("-referral__submitted_at", "referral_id")
    )
    for named in as_child:
        about.setdefault(named.person_id, []).append(named.referral)
    household_ids = sorted({pk for people in household.values() for pk in people})
    in_household = (
        Referral.household.through.objects.filter(
            person_id__in=household_ids, referral__status__in=OPEN
        )
        .filter(within)
        .exclude(referral_id=referral.pk)
        .select_related("referral__referrer_agency")
        .order_by("-referral__submitted_at", "referral_id")
    )
    for member_of in in_household if household_ids else []:
        about.setdefault(member_of.person_id, []).append(member_of.referral)

    may_read_involvements = scope_for(user, RecordKind.INVOLVEMENT, Action.READ) != Scope.NONE
    pictures = []
    for history in histories:
        child = history.child
        # Referrals about the child themselves are theirs (earlier, or at the supervisor).
        seen = Seen(own={r.pk for r in about.get(child.pk, [])})
        household_label = str(RelationshipKind.HOUSEHOLD_MEMBER.label)
        pictures.append(WholeChild(
            history=history,
            duplicates=possible_duplicates(user, child),
            known_to=[contact_of(i) for i in history.involved_now]
            if may_read_involvements and child.pk in openable else [],
            at_the_supervisor=[
                r for r in about.get(child.pk, []) if r.status in AT_THE_SUPERVISOR
            ],
            # Brothers and sisters first: a referral about one is not shown again for the
            # household.
            siblings=_open_about(siblings[child.pk].values(), about, openable, seen),
            household=_open_about(
                ((person, household_label) for person in household[child.pk].values()),
                about, openable, seen,
            ),
            hidden_nearby=len(seen.hidden - seen.shown),
        ))
    audit_listed(
        user,
        [n.person.pk for p in pictures for n in [*p.siblings, *p.household]],
        shown_on="referral",
    )
    return pictures
