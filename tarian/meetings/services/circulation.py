"""What a meeting sends to every invited agency (issue 21; SM4, SM5): its decisions, its
approved minutes and its addenda, each person in their own language with a receipt per agency
(``notifications.circulation``), and the circulation clock met when it is due."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessAction
from tarian.deadlines.services import meet_clock
from tarian.errors import Refused
from tarian.meetings import selectors
from tarian.meetings.models import InvitationStatus, Meeting
from tarian.meetings.services.guards import (
    DECISIONS_CIRCULATION,
    SUBJECT_KIND,
    locked,
    must_manage,
)
from tarian.meetings.services.invitations import agency_recipients
from tarian.notifications.circulation import circulate
from tarian.procedures.packs import current_pack

# What a meeting circulates (SM4, SM5), as ``notifications`` records it.
DECISIONS, MINUTES, ADDENDUM = "decisions", "minutes", "addendum"


def circulation_recipients(meeting: Meeting) -> list[tuple[Agency, list[User]]]:
    """Every invited agency (not one left out), each with who is told there: the chair and
    the convener at the convening agency; elsewhere the named invitee, else its
    practitioners (``agency_recipients``)."""
    rows: list[tuple[Agency, list[User]]] = []
    invitations = meeting.invitations.select_related("agency", "invitee").exclude(
        status=InvitationStatus.EXCLUDED
    ).order_by("pk")
    for invitation in invitations:
        if invitation.agency_id == meeting.convening_agency_id:
            people = {
                user.pk: user for user in (meeting.chair, meeting.convened_by)
                if user.is_active and user.agency_id == invitation.agency_id
            }
            rows.append((invitation.agency, list(people.values())))
        else:
            rows.append((invitation.agency, agency_recipients(invitation)))
    return rows


def circulate_to_invited(user: User, meeting: Meeting, what: str, moment: dt.datetime) -> None:
    """SM4, SM5: send what the meeting decided or minuted to every invited agency, each
    person in their own language, with a receipt per agency and person."""
    labels = {
        DECISIONS: lambda: _("Decisions of %(kind)s %(ref)s"),
        MINUTES: lambda: _("Minutes of %(kind)s %(ref)s"),
        ADDENDUM: lambda: _("Addendum to %(kind)s %(ref)s"),
    }

    def words() -> str:
        kind = current_pack().label(
            "meeting_kinds", meeting.kind, translation.get_language() or "en"
        )
        return labels[what]() % {"kind": kind.lower(), "ref": meeting.reference}

    def message() -> tuple[str, str]:
        return words(), _(
            "Open it in Tarian to read it and acknowledge that your agency received it."
        )

    circulate(
        user, subject_kind=SUBJECT_KIND, subject_id=str(meeting.pk), what=what,
        title=words(), link=f"/meetings/{meeting.pk}", recipients=circulation_recipients(meeting),
        message=message, now=moment,
    )


def circulated(
    user: User, meeting: Meeting, what: str, *, timescale: str, at: dt.datetime
) -> None:
    """The tail of a step that circulates what is due to be circulated (SM4): sent to every
    invited agency, the timescale's clock met, the change audited."""
    circulate_to_invited(user, meeting, what, at)
    meet_clock(subject_kind=SUBJECT_KIND, subject_id=meeting.pk, met_at=at, timescales=[timescale])
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)


@transaction.atomic
def circulate_decisions(user: User, *, meeting_id: int, now: dt.datetime | None = None) -> Meeting:
    """SM4: the decisions go to every invited agency (the pack: the same working day)."""
    moment = now or timezone.now()
    meeting = locked(user, meeting_id)
    must_manage(user, meeting)
    if not meeting.decisions.exists():
        raise Refused("decision", _("Record the meeting's decisions before sending them"))
    meeting.decisions_circulated_at = moment
    meeting.save(update_fields=["decisions_circulated_at"])
    circulated(user, meeting, DECISIONS, timescale=DECISIONS_CIRCULATION, at=moment)
    return meeting
