"""Who is invited to a meeting and how they answer (issue 21; SM1, SM2): the invitation rule
(``propose_invitees``), who at an invited agency is told, leaving an agency out or inviting one
more (each with a reason that is kept), the agency's answer and the information it shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessAction
from tarian.errors import Forbidden, Refused
from tarian.meetings import selectors
from tarian.meetings.models import Audience, Contribution, Invitation, InvitationStatus, Meeting
from tarian.meetings.reasons import (
    SEPARATOR,
    Part,
    involvement_part,
    render,
    typed_part,
)
from tarian.meetings.services.guards import locked, must_manage, not_cancelled
from tarian.notifications.models import NotificationKind
from tarian.notifications.services import notify_each
from tarian.people.models import Involvement, Person
from tarian.procedures.packs import current_pack

# Roles told of an invitation when nobody at the agency is named on an involvement.
PRACTITIONER_ROLES = (
    "dsl", "health_practitioner", "cru_officer", "cru_supervisor", "social_worker",
    "team_manager", "referrer", "allegations_manager", "conference_chair",
)
AGENCY_RECIPIENTS_CAP = 25


@dataclass(frozen=True)
class Proposal:
    """An agency the invitation rule proposes (SM1), with its reason as parts that read in
    either language (``tarian.meetings.reasons``)."""

    agency: Agency
    reasons: tuple[Part, ...]
    invitee: User | None = None

    def reason_in(self, language: str) -> str:
        return render(self.reasons, language) or ""


def propose_invitees(
    children: Sequence[Person],
    *,
    on: dt.date,
    also: Sequence[tuple[Agency, Part]] = (),
) -> list[Proposal]:
    """SM1: every agency with a current involvement with any of the children, each with its
    reason ("School for Cai Jones since September 2021"), then ``also`` (agency and reason,
    a ``reasons.message_part``: the referrer's agency, the police for a strategy discussion).
    One statement.
    """
    rows = (
        Involvement.objects.filter(person__in=list(children), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("agency", "person", "professional")
        .order_by("agency__name", "start_date", "pk")
    )
    reasons: dict[int, list[Part]] = {}
    agencies: dict[int, Agency] = {}
    invitees: dict[int, User | None] = {}
    for row in rows:
        if not row.agency.is_active:
            continue
        agencies[row.agency_id] = row.agency
        if row.professional is not None and row.professional.is_active:
            invitees.setdefault(row.agency_id, row.professional)
        reasons.setdefault(row.agency_id, []).append(
            involvement_part(row.role, row.person.full_name, row.start_date)
        )
    proposals = [
        Proposal(agency=agencies[pk], reasons=tuple(reasons[pk]), invitee=invitees.get(pk))
        for pk in agencies
    ]
    for agency, reason in also:
        if agency.pk in agencies or not agency.is_active:
            continue
        agencies[agency.pk] = agency
        proposals.append(Proposal(agency=agency, reasons=(reason,)))
    return proposals


def agency_recipients(invitation: Invitation) -> list[User]:
    """Who at an invited agency is told: the named invitee, else its practitioners."""
    if invitation.invitee is not None and invitation.invitee.is_active:
        return [invitation.invitee]
    return list(
        User.objects.filter(
            agency=invitation.agency, is_active=True, roles__code__in=PRACTITIONER_ROLES
        ).distinct().order_by("pk")[:AGENCY_RECIPIENTS_CAP]
    )


def notify_invited(meeting: Meeting, invitations: Iterable[Invitation]) -> None:
    recipients: list[User] = []
    for invitation in invitations:
        if invitation.is_invited:
            recipients += agency_recipients(invitation)
    link = f"/meetings/{meeting.pk}"

    def message() -> tuple[str, str]:
        kind = current_pack().label("meeting_kinds", meeting.kind, translation.get_language())
        when = (
            dateformat.format(timezone.localtime(meeting.scheduled_for), "j F Y, H:i")
            if meeting.scheduled_for else _("a time to be agreed")
        )
        return (
            _("Invitation: %(kind)s %(ref)s") % {"kind": kind, "ref": meeting.reference},
            _("Your agency is invited to a %(kind)s (%(ref)s) on %(when)s. Open it in Tarian "
              "to accept, decline with a reason or send information.") % {
                "kind": kind.lower(), "ref": meeting.reference, "when": when,
            },
        )

    notify_each(
        [user for user in recipients if user.agency_id != meeting.convened_by.agency_id
         or user.pk != meeting.convened_by_id],
        kind=NotificationKind.GENERAL, message=message, link=link,
    )


def _invitation(meeting: Meeting, agency: Agency) -> Invitation | None:
    return Invitation.objects.select_for_update().filter(meeting=meeting, agency=agency).first()


@transaction.atomic
def exclude_invitee(user: User, *, meeting_id: int, agency: Agency, reason: str) -> Invitation:
    """SM1: a proposed agency is left out only with a reason, which is kept."""
    meeting = locked(user, meeting_id)
    must_manage(user, meeting)
    not_cancelled(meeting)
    text = " ".join((reason or "").split())
    if not text:
        raise Refused("reason", _("Say why this agency is not invited"))
    invitation = _invitation(meeting, agency)
    if invitation is None:
        raise Refused("agency", _("This agency is not proposed for this meeting"))
    if agency.pk == meeting.convening_agency_id:
        raise Refused("agency", _("The convening agency takes part in its own meeting"))
    invitation.status = InvitationStatus.EXCLUDED
    invitation.status_reason = text
    invitation.answered_by = user
    invitation.answered_at = timezone.now()
    invitation.save()
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return invitation


@transaction.atomic
def invite_agency(user: User, *, meeting_id: int, agency: Agency, reason: str) -> Invitation:
    """Invite an agency the rule did not propose (or one left out earlier), with a reason."""
    meeting = locked(user, meeting_id)
    must_manage(user, meeting)
    not_cancelled(meeting)
    text = " ".join((reason or "").split())
    if not text:
        raise Refused("reason", _("Say why this agency is invited"))
    if not agency.is_active:
        raise Refused("agency", _("Choose an active agency"))
    invitation = _invitation(meeting, agency)
    if invitation is None:
        invitation = Invitation.objects.create(
            meeting=meeting, agency=agency, reason=text, reason_parts=[typed_part(text)],
            proposed=False,
        )
    elif invitation.status == InvitationStatus.EXCLUDED:
        invitation.status = InvitationStatus.INVITED
        invitation.status_reason = ""
        invitation.reason = f"{invitation.reason}{SEPARATOR}{text}"
        if invitation.reason_parts:  # else the text, written before parts were kept, is shown
            invitation.reason_parts = [*invitation.reason_parts, typed_part(text)]
        invitation.save()
    else:
        raise Refused("agency", _("This agency is already invited"))
    notify_invited(meeting, [invitation])
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return invitation


ANSWERS = (
    InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.SENT_INFORMATION,
)


@transaction.atomic
def answer_invitation(
    user: User,
    *,
    meeting_id: int,
    status: str,
    reason: str = "",
    information: str = "",
    audience: str = Audience.INVITED,
    now: dt.datetime | None = None,
) -> Invitation:
    """SM1: the invited agency accepts, declines (with a reason) or sends information."""
    meeting = locked(user, meeting_id)
    not_cancelled(meeting)
    invitation = _invitation(meeting, user.agency) if user.agency else None
    if invitation is None or not invitation.is_invited or not selectors.takes_part(
        user, meeting
    ):
        raise Forbidden("meeting:answer")
    if status not in ANSWERS:
        raise Refused("status", _("Choose whether your agency will attend"))
    text = " ".join((reason or "").split())
    if status == InvitationStatus.DECLINED and not text:
        raise Refused("reason", _("Say why your agency cannot attend"))
    if status == InvitationStatus.SENT_INFORMATION and not information.strip():
        raise Refused("information", _("Write the information your agency is sending"))
    moment = now or timezone.now()
    invitation.status = status
    invitation.status_reason = text
    invitation.answered_by = user
    invitation.answered_at = moment
    invitation.save()
    if information.strip():
        _contribute(user, meeting, information, audience, moment)
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return invitation


def _contribute(
    user: User, meeting: Meeting, text: str, audience: str, moment: dt.datetime
) -> Contribution:
    if audience not in Audience.values:
        raise Refused("audience", _("Choose who may read this information"))
    assert user.agency is not None
    return Contribution.objects.create(
        meeting=meeting, agency=user.agency, shared_by=user, shared_at=moment,
        text=text.strip(), audience=audience,
    )


@transaction.atomic
def share_information(
    user: User, *, meeting_id: int, text: str, audience: str = Audience.INVITED,
    now: dt.datetime | None = None,
) -> Contribution:
    """SM2: information an invited agency shares with the meeting."""
    meeting = locked(user, meeting_id)
    not_cancelled(meeting)
    if not selectors.takes_part(user, meeting):
        raise Forbidden("meeting:share")
    if not (text or "").strip():
        raise Refused("text", _("Write the information your agency is sharing"))
    contribution = _contribute(user, meeting, text, audience, now or timezone.now())
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return contribution
