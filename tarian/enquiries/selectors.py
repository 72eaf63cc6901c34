"""Reading Section 47 enquiries (EQ1, EQ2; IS1, IS4).

An enquiry is seen by whoever may see the strategy meeting that started it (its sharing rule:
children's services, and the agencies invited to that meeting); anyone else gets ``NotFound``.
Every read is audited once per child."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from tarian.agencies.models import Action, AgencyType, RecordKind, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_accesses
from tarian.deadlines.models import Deadline
from tarian.enquiries.models import ChildSeen, Enquiry
from tarian.errors import NotFound
from tarian.meetings.selectors import meeting_scope, meetings_for, takes_part
from tarian.people.models import Person
from tarian.people.selectors import people_for

PRACTITIONER_ROLES = ("social_worker", "team_manager", "conference_chair", "gateway_worker")
POLICE_ROLES = ("cru_officer", "cru_supervisor")
WITH_POLICE = ("joint", "police_only")


def enquiries_for(user: User) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(strategy_meeting__in=meetings_for(user))


def enquiry_for(user: User, enquiry_id: int | str) -> Enquiry:
    try:
        key = int(enquiry_id)
    except (TypeError, ValueError):
        raise NotFound(str(enquiry_id)) from None
    enquiry = enquiries_for(user).select_related(
        "lead", "lead_agency", "strategy_meeting", "review_meeting", "concluded_by"
    ).filter(pk=key).first()
    if enquiry is None:
        raise NotFound(str(enquiry_id))
    return enquiry


def audit_enquiry(user: User, enquiry: Enquiry, *, action: str = AccessAction.VIEW) -> None:
    ids = list(enquiry.children.values_list("pk", flat=True))
    record_accesses(user, action=action, record_kind=RecordKind.MEETING, person_ids=ids,
                    record_ids=[f"enquiry:{enquiry.pk}"] * len(ids))


def may_act(user: User, enquiry: Enquiry) -> bool:
    """The lead agency's practitioners; for joint or police-only enquiries, also the police
    officers of a force invited to the strategy meeting (they see children too)."""
    if user.agency_id == enquiry.lead_agency_id and user.has_role(*PRACTITIONER_ROLES):
        return True
    return (
        enquiry.type in WITH_POLICE and user.agency is not None
        and user.agency.type == AgencyType.POLICE and user.has_role(*POLICE_ROLES)
        and takes_part(user, enquiry.strategy_meeting)
    )


def may_start(user: User) -> bool:
    """Who may start Section 47 enquiries (EQ1): children's services practitioners who may
    write meetings. The rule ``services.start_enquiry`` checks; pages ask it to offer the
    link."""
    return (
        meeting_scope(user, Action.WRITE) is not None and user.has_role(*PRACTITIONER_ROLES)
        and user.agency is not None and user.agency.type == AgencyType.CHILDRENS_SERVICES
    )


def child_seen_clocks(enquiry: Enquiry) -> list[Deadline]:
    """EQ2: each child's clock for being seen (the pack's ``child_seen_in_enquiry``), soonest
    due first. One statement."""
    from tarian.enquiries.services import CHILD_SEEN, SUBJECT_KIND  # no cycle at call time

    return list(Deadline.objects.filter(
        subject_kind=SUBJECT_KIND, subject_id=str(enquiry.pk), timescale=CHILD_SEEN,
    ).order_by("due_at", "pk"))


def is_open_clock(deadline: Deadline) -> bool:
    return deadline.met_at is None and deadline.stopped_at is None


def may_conclude(user: User, enquiry: Enquiry) -> bool:
    return user.agency_id == enquiry.lead_agency_id and user.has_role(*PRACTITIONER_ROLES)


@dataclass
class EnquiryRecord:
    enquiry: Enquiry
    children: list[Person]
    hidden_children: int
    seen: list[ChildSeen]
    may_act: bool
    may_conclude: bool


def enquiry_record(user: User, enquiry_id: int | str, *, audit: bool = True) -> EnquiryRecord:
    """An enquiry for its page and the API, children narrowed to those the reader may open
    (the others counted, never named). A constant number of statements."""
    enquiry = enquiry_for(user, enquiry_id)
    children = list(enquiry.children.all().order_by("pk"))
    visible = set(people_for(user).filter(pk__in=[c.pk for c in children]).values_list(
        "pk", flat=True
    )) if children else set()
    seen = [
        row for row in ChildSeen.objects.filter(enquiry=enquiry).select_related("child", "seen_by")
        if row.child_id in visible
    ]
    if audit:
        audit_enquiry(user, enquiry)
    return EnquiryRecord(
        enquiry=enquiry,
        children=[c for c in children if c.pk in visible],
        hidden_children=len([c for c in children if c.pk not in visible]),
        seen=seen,
        may_act=may_act(user, enquiry),
        may_conclude=may_conclude(user, enquiry),
    )
