"""Reading meetings as the reader may see them (issue 21; SM1, SM2, IS1, IS4).

Who sees a meeting: the sharing rules' ``meeting`` record kind. ``all`` reaches every meeting
(children's services); ``involved`` reaches the meetings the user's agency convened or was
invited to (and not left out of); anyone else gets ``NotFound``, the same answer as for a
meeting that does not exist. Inside a meeting, information an agency shared with the statutory
agencies only is not shown to the others, and a child whose record the reader may not open is
not named. Every read is audited once per child.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, AgencyType, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_accesses
from tarian.errors import NotFound
from tarian.meetings.models import (
    Addendum,
    Audience,
    Contribution,
    Dissent,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingDecision,
    Minutes,
)
from tarian.notifications.circulation import mark_opened
from tarian.people.models import Person
from tarian.people.selectors import people_for

# Agencies that read information shared "with children's services and the police only".
STATUTORY_TYPES = frozenset({AgencyType.CHILDRENS_SERVICES, AgencyType.POLICE})
MANAGING_ROLES = frozenset({"social_worker", "team_manager", "conference_chair",
                            "gateway_worker", "allegations_manager", "cru_supervisor"})


def meeting_scope(user: User, action: str = Action.READ) -> Scope | None:
    scope = scope_for(user, RecordKind.MEETING, action)
    return None if scope == Scope.NONE else scope


def meetings_for(user: User, action: str = Action.READ) -> QuerySet[Meeting]:
    """Every meeting the user may see for ``action``."""
    scope = meeting_scope(user, action)
    if scope is None or user.agency_id is None:
        return Meeting.objects.none()
    if scope == Scope.ALL:
        return Meeting.objects.all()
    invited = Invitation.objects.filter(
        meeting=OuterRef("pk"), agency_id=user.agency_id
    ).exclude(status=InvitationStatus.EXCLUDED)
    return Meeting.objects.filter(
        Q(convening_agency_id=user.agency_id) | Q(chair=user) | Exists(invited)
    )


def meeting_for(user: User, meeting_id: int | str, action: str = Action.READ) -> Meeting:
    try:
        key = int(meeting_id)
    except (TypeError, ValueError):
        raise NotFound(str(meeting_id)) from None
    meeting = meetings_for(user, action).select_related(
        "chair", "convened_by", "convening_agency"
    ).filter(pk=key).first()
    if meeting is None:
        raise NotFound(str(meeting_id))
    return meeting


def audit_meeting(user: User, meeting: Meeting, *, action: str = AccessAction.VIEW) -> None:
    """One access event per child the meeting is about (IS4)."""
    ids = [pk for pk in meeting.children.values_list("pk", flat=True)]
    if meeting.professional_id is not None:
        ids.append(meeting.professional_id)
    record_accesses(
        user, action=action, record_kind=RecordKind.MEETING, person_ids=ids,
        record_ids=[str(meeting.pk)] * len(ids),
    )


def takes_part(user: User, meeting: Meeting) -> bool:
    """The user may write to meetings (the sharing rules' ``meeting``/write) and either
    reaches every meeting (scope ``all``) or their agency convened this one or is invited to
    it (not left out): they may share information, answer and dissent."""
    scope = meeting_scope(user, Action.WRITE)
    if scope is None or user.agency_id is None:
        return False
    if scope == Scope.ALL or user.pk == meeting.chair_id:
        return True
    if user.agency_id == meeting.convening_agency_id:
        return True
    return Invitation.objects.filter(meeting=meeting, agency_id=user.agency_id).exclude(
        status=InvitationStatus.EXCLUDED
    ).exists()


def may_manage(user: User, meeting: Meeting) -> bool:
    """The chair, or a practitioner of the convening agency who may write meetings."""
    if user.pk == meeting.chair_id:
        return True
    return (
        user.agency_id == meeting.convening_agency_id
        and meeting_scope(user, Action.WRITE) is not None
        and bool(user.role_codes() & MANAGING_ROLES)
    )


def reads_statutory(user: User) -> bool:
    return user.agency is not None and user.agency.type in STATUTORY_TYPES


@dataclass
class MeetingRecord:
    """A meeting as one reader may see it: what the page and the API show."""

    meeting: Meeting
    children: list[Person]
    hidden_children: int
    invitations: list[Invitation]
    contributions: list[Contribution]
    withheld_contributions: int
    decisions: list[MeetingDecision]
    dissents: list[Dissent]
    addenda: list[Addendum]
    minutes: Minutes | None
    is_chair: bool
    may_manage: bool
    takes_part: bool
    own_invitation: Invitation | None
    extra: dict[str, object] = field(default_factory=dict)


def meeting_record(user: User, meeting_id: int | str, *, audit: bool = True) -> MeetingRecord:
    """The meeting for the page and the API, narrowed to the reader; audited once per child.
    A constant number of statements however many invitations, decisions and dissents."""
    meeting = meeting_for(user, meeting_id)
    children = list(meeting.children.all().order_by("pk"))
    visible = set(
        people_for(user).filter(pk__in=[child.pk for child in children]).values_list(
            "pk", flat=True
        )
    ) if children else set()
    invitations = list(
        meeting.invitations.select_related("agency", "invitee", "answered_by")
        .order_by("pk")
    )
    contributions = list(meeting.contributions.select_related("agency", "shared_by"))
    shown = [
        c for c in contributions
        if c.audience == Audience.INVITED or reads_statutory(user)
        or c.agency_id == user.agency_id
    ]
    own = next((i for i in invitations if i.agency_id == user.agency_id), None)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("approved_by").first()
    if audit:
        audit_meeting(user, meeting)
        # SM4: reading the meeting opens what was circulated to the reader (or their agency).
        mark_opened(user, subject_kind="meeting", subject_id=str(meeting.pk))
    return MeetingRecord(
        meeting=meeting,
        children=[child for child in children if child.pk in visible],
        hidden_children=len([child for child in children if child.pk not in visible]),
        invitations=invitations,
        contributions=shown,
        withheld_contributions=len(contributions) - len(shown),
        decisions=list(meeting.decisions.select_related("recorded_by", "child")),
        dissents=list(meeting.dissents.select_related("agency", "person", "decision")),
        addenda=list(meeting.addenda.select_related("recorded_by")),
        minutes=minutes,
        is_chair=user.pk == meeting.chair_id,
        may_manage=may_manage(user, meeting),
        takes_part=(own is not None and own.is_invited)
        or user.agency_id == meeting.convening_agency_id,
        own_invitation=own,
    )
