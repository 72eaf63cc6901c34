"""What people do with a meeting of any kind (issue 21; SM1 to SM6): the services a workflow
calls, gathered here from the modules that hold them.

- ``invitations``: the invitation rule, who is told, exclusions, answers, information shared;
- ``convening``: convening and cancelling;
- ``record``: held and attended, decisions, dissent, agreed actions, addenda;
- ``minutes``: drafting and the chair's approval;
- ``circulation``: what is sent to every invited agency, and its clocks;
- ``guards``: what every step checks first, and the meeting's clock names.

Every function takes the acting user first, runs in one transaction (nesting in the caller's,
so that a workflow's step and its meeting are saved together) and raises a domain error that
the pages and the API turn into the same field-level message. The meeting's clocks are rows in
``deadlines``: the pack's timescale by which it must be held, and once held, the circulation
of its decisions (the same working day) and of its minutes (SM4).

Who may do what:
- the chair, and practitioners of the convening agency who may write meetings, manage it
  (invitations, attendance, decisions, addenda, minutes); only the chair approves minutes;
- a user of an invited agency answers the invitation, shares information and records their
  agency's dissent;
- anyone else gets ``NotFound`` (``selectors.meeting_for``): the meeting's existence is not
  disclosed.
"""

from tarian.meetings.services.circulation import (
    ADDENDUM,
    DECISIONS,
    MINUTES,
    circulate_decisions,
    circulation_recipients,
)
from tarian.meetings.services.convening import cancel_meeting, cancel_unheld, convene_meeting
from tarian.meetings.services.guards import (
    DECISIONS_CIRCULATION,
    HELD_DAYS_BACK,
    MINUTES_CIRCULATION,
    SCHEDULED_DAYS_AHEAD,
    SUBJECT_KIND,
)
from tarian.meetings.services.invitations import (
    AGENCY_RECIPIENTS_CAP,
    ANSWERS,
    PRACTITIONER_ROLES,
    Proposal,
    agency_recipients,
    answer_invitation,
    exclude_invitee,
    invite_agency,
    propose_invitees,
    share_information,
)
from tarian.meetings.services.minutes import approve_minutes, save_minutes
from tarian.meetings.services.record import (
    add_addendum,
    agree_meeting_action,
    record_dissent,
    record_held,
    record_meeting_decision,
)

__all__ = [
    "ADDENDUM",
    "AGENCY_RECIPIENTS_CAP",
    "ANSWERS",
    "DECISIONS",
    "DECISIONS_CIRCULATION",
    "HELD_DAYS_BACK",
    "MINUTES",
    "MINUTES_CIRCULATION",
    "PRACTITIONER_ROLES",
    "SCHEDULED_DAYS_AHEAD",
    "SUBJECT_KIND",
    "Proposal",
    "add_addendum",
    "agency_recipients",
    "agree_meeting_action",
    "answer_invitation",
    "approve_minutes",
    "cancel_meeting",
    "cancel_unheld",
    "circulate_decisions",
    "circulation_recipients",
    "convene_meeting",
    "exclude_invitee",
    "invite_agency",
    "propose_invitees",
    "record_dissent",
    "record_held",
    "record_meeting_decision",
    "save_minutes",
    "share_information",
]
