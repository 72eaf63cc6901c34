"""What people do with a meeting of any kind (issue 21; SM1 to SM6).

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

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from tarian.actions.models import AgreedAction
from tarian.actions.services import agree_action
from tarian.agencies.models import Action, Agency, User
from tarian.audit.models import AccessAction
from tarian.core.rationale import check_rationale
from tarian.deadlines.services import meet_clock, start_clocks, stop_clock
from tarian.errors import Conflict, Forbidden, Refused
from tarian.meetings import selectors
from tarian.meetings.models import (
    Addendum,
    Audience,
    Contribution,
    Dissent,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingDecision,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from tarian.notifications.circulation import circulate
from tarian.notifications.models import NotificationKind
from tarian.notifications.services import notify_each
from tarian.people.models import Involvement, Person
from tarian.procedures.packs import current_pack

SUBJECT_KIND = "meeting"
DECISIONS_CIRCULATION = "decisions_circulation"
MINUTES_CIRCULATION = "minutes_circulation"
# How far back a meeting may be recorded as held, and how far ahead one may be scheduled.
HELD_DAYS_BACK = 31
SCHEDULED_DAYS_AHEAD = 366
# Roles told of an invitation when nobody at the agency is named on an involvement.
PRACTITIONER_ROLES = (
    "dsl", "health_practitioner", "cru_officer", "cru_supervisor", "social_worker",
    "team_manager", "referrer", "allegations_manager", "conference_chair",
)
AGENCY_RECIPIENTS_CAP = 25


@dataclass(frozen=True)
class Proposal:
    """An agency the invitation rule proposes (SM1), with its reason in English and Welsh."""

    agency: Agency
    reason: str
    reason_cy: str
    invitee: User | None = None


def _since(day: dt.date) -> str:
    return dateformat.format(day, "F Y")


def propose_invitees(
    children: Sequence[Person],
    *,
    on: dt.date,
    also: Sequence[tuple[Agency, str, str]] = (),
) -> list[Proposal]:
    """SM1: every agency with a current involvement with any of the children, each with its
    reason ("School for Cai Jones since September 2021"), then ``also`` (agency and reason in
    each language: the referrer's agency, the police for a strategy discussion). One statement.
    """
    rows = (
        Involvement.objects.filter(person__in=list(children), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("agency", "person", "professional")
        .order_by("agency__name", "start_date", "pk")
    )
    reasons: dict[int, dict[str, list[str]]] = {}
    agencies: dict[int, Agency] = {}
    invitees: dict[int, User | None] = {}
    for row in rows:
        if not row.agency.is_active:
            continue
        agencies[row.agency_id] = row.agency
        if row.professional is not None and row.professional.is_active:
            invitees.setdefault(row.agency_id, row.professional)
        for language in ("en", "cy"):
            with translation.override(language):
                text = _("%(role)s for %(child)s since %(since)s") % {
                    "role": row.get_role_display(),
                    "child": row.person.full_name,
                    "since": _since(row.start_date),
                }
            reasons.setdefault(row.agency_id, {"en": [], "cy": []})[language].append(text)
    proposals = [
        Proposal(
            agency=agencies[pk], reason="; ".join(reasons[pk]["en"]),
            reason_cy="; ".join(reasons[pk]["cy"]), invitee=invitees.get(pk),
        )
        for pk in agencies
    ]
    for agency, reason, reason_cy in also:
        if agency.pk in agencies or not agency.is_active:
            continue
        agencies[agency.pk] = agency
        proposals.append(Proposal(agency=agency, reason=reason, reason_cy=reason_cy))
    return proposals


def _check_kind(kind: str) -> None:
    if kind not in current_pack().codes("meeting_kinds"):
        raise Refused("kind", _("Choose a kind of meeting from the procedures"))


def _check_when(value: dt.datetime | None, field: str, *, now: dt.datetime) -> None:
    if value is None:
        return
    if value < now - dt.timedelta(days=HELD_DAYS_BACK):
        raise Refused(field, _("Enter a time no more than a month ago"))
    if value > now + dt.timedelta(days=SCHEDULED_DAYS_AHEAD):
        raise Refused(field, _("Enter a time no more than a year from today"))


def agency_recipients(invitation: Invitation) -> list[User]:
    """Who at an invited agency is told: the named invitee, else its practitioners."""
    if invitation.invitee is not None and invitation.invitee.is_active:
        return [invitation.invitee]
    return list(
        User.objects.filter(
            agency=invitation.agency, is_active=True, roles__code__in=PRACTITIONER_ROLES
        ).distinct().order_by("pk")[:AGENCY_RECIPIENTS_CAP]
    )


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


def _circulate(user: User, meeting: Meeting, what: str, moment: dt.datetime) -> None:
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


def _notify_invited(meeting: Meeting, invitations: Iterable[Invitation]) -> None:
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


@transaction.atomic
def convene_meeting(
    user: User,
    *,
    kind: str,
    children: Sequence[Person] = (),
    professional: Person | None = None,
    proposals: Sequence[Proposal] | None = None,
    scheduled_for: dt.datetime | None = None,
    chair: User | None = None,
    chair_role: str = "",
    chair_seniority: str = "",
    origin_kind: str = "",
    origin_id: str = "",
    held_by_timescale: str = "",
    clock_started_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Convene a meeting and invite every proposed agency (SM1). The caller (the workflow)
    passes the proposals from ``propose_invitees``; the convening agency takes part too.
    ``held_by_timescale`` starts the pack's clock by which it must be held."""
    moment = now or timezone.now()
    if selectors.meeting_scope(user, Action.WRITE) is None:
        raise Forbidden("meeting:write")
    _check_kind(kind)
    if not children and professional is None:
        raise Refused("children", _("Choose at least one child"))
    _check_when(scheduled_for, "scheduled_for", now=moment)
    chair = chair or user
    if not chair.is_active or chair.agency is None:
        raise Refused("chair", _("Choose an active user to chair the meeting"))
    agency = user.agency
    assert agency is not None  # meeting_scope refuses a user without one
    meeting = Meeting.objects.create(
        kind=kind, professional=professional, origin_kind=origin_kind, origin_id=origin_id,
        convening_agency=agency, convened_by=user, convened_at=moment, chair=chair,
        chair_role=chair_role.strip()[:120] or _role_words(chair),
        chair_seniority=chair_seniority.strip()[:120], scheduled_for=scheduled_for,
        held_by_timescale=held_by_timescale, created_by=user, modified_by=user,
    )
    if children:
        meeting.children.set(children)
    found = list(
        proposals if proposals is not None else propose_invitees(children, on=moment.date())
    )
    rows = [
        Invitation(
            meeting=meeting, agency=p.agency, reason=_in_reader(p), invitee=p.invitee,
        )
        for p in found
    ]
    if all(p.agency.pk != agency.pk for p in found):
        rows.insert(0, Invitation(
            meeting=meeting, agency=agency, reason=_("Convenes the meeting"), proposed=False,
            status=InvitationStatus.ACCEPTED, answered_by=user, answered_at=moment,
        ))
    Invitation.objects.bulk_create(rows)
    if held_by_timescale:
        start_clocks(
            timescale=held_by_timescale, subject_kind=SUBJECT_KIND, subject_id=meeting.pk,
            started_at=clock_started_at or moment, people=list(children) or [None],
            agency=agency, owner=chair,
        )
    selectors.audit_meeting(user, meeting, action=AccessAction.CREATE)
    _notify_invited(meeting, Invitation.objects.filter(meeting=meeting).select_related(
        "agency", "invitee"
    ))
    return meeting


def _in_reader(proposal: Proposal) -> str:
    # The reason is kept in the convener's language; the Welsh form is used when that is it.
    return proposal.reason_cy if translation.get_language() == "cy" else proposal.reason


def _role_words(user: User) -> str:
    roles = sorted(user.roles.all(), key=lambda role: role.code)
    return ", ".join(str(role.get_code_display()) for role in roles) or _("Chair")


def _locked(user: User, meeting_id: int, action: str = Action.READ) -> Meeting:
    meeting = selectors.meeting_for(user, meeting_id, action=action)
    return Meeting.objects.select_for_update().select_related("chair").get(pk=meeting.pk)


def _must_manage(user: User, meeting: Meeting) -> None:
    if not selectors.may_manage(user, meeting):
        raise Forbidden("meeting:manage")


def _not_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("__all__", _("This meeting was cancelled"))


def _invitation(meeting: Meeting, agency: Agency) -> Invitation | None:
    return Invitation.objects.select_for_update().filter(meeting=meeting, agency=agency).first()


@transaction.atomic
def exclude_invitee(user: User, *, meeting_id: int, agency: Agency, reason: str) -> Invitation:
    """SM1: a proposed agency is left out only with a reason, which is kept."""
    meeting = _locked(user, meeting_id)
    _must_manage(user, meeting)
    _not_cancelled(meeting)
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
    meeting = _locked(user, meeting_id)
    _must_manage(user, meeting)
    _not_cancelled(meeting)
    text = " ".join((reason or "").split())
    if not text:
        raise Refused("reason", _("Say why this agency is invited"))
    if not agency.is_active:
        raise Refused("agency", _("Choose an active agency"))
    invitation = _invitation(meeting, agency)
    if invitation is None:
        invitation = Invitation.objects.create(
            meeting=meeting, agency=agency, reason=text, proposed=False
        )
    elif invitation.status == InvitationStatus.EXCLUDED:
        invitation.status = InvitationStatus.INVITED
        invitation.status_reason = ""
        invitation.reason = f"{invitation.reason}; {text}"
        invitation.save()
    else:
        raise Refused("agency", _("This agency is already invited"))
    _notify_invited(meeting, [invitation])
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
    meeting = _locked(user, meeting_id)
    _not_cancelled(meeting)
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
    meeting = _locked(user, meeting_id)
    _not_cancelled(meeting)
    if not selectors.takes_part(user, meeting):
        raise Forbidden("meeting:share")
    if not (text or "").strip():
        raise Refused("text", _("Write the information your agency is sharing"))
    contribution = _contribute(user, meeting, text, audience, now or timezone.now())
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return contribution


@transaction.atomic
def record_held(
    user: User,
    *,
    meeting_id: int,
    held_at: dt.datetime,
    attended: Sequence[Agency] = (),
    risk_analysis: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    """The meeting took place: when, which agencies attended, the risk analysis (SM2). Its
    clock to be held is met, and the circulation clocks start (SM4)."""
    moment = now or timezone.now()
    meeting = _locked(user, meeting_id)
    _must_manage(user, meeting)
    _not_cancelled(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise Refused("held_at", _("This meeting is already recorded as held"))
    if held_at > moment:
        raise Refused("held_at", _("The meeting cannot be recorded as held in the future"))
    _check_when(held_at, "held_at", now=moment)
    meeting.status = MeetingStatus.HELD
    meeting.held_at = held_at
    meeting.risk_analysis = risk_analysis.strip()
    meeting.version += 1
    meeting.modified_by = user
    meeting.save()
    attended_ids = {agency.pk for agency in attended} | {meeting.convening_agency_id}
    Invitation.objects.filter(meeting=meeting, agency_id__in=attended_ids).exclude(
        status=InvitationStatus.EXCLUDED
    ).update(status=InvitationStatus.ATTENDED)
    if meeting.held_by_timescale:
        meet_clock(
            subject_kind=SUBJECT_KIND, subject_id=meeting.pk, met_at=held_at,
            timescales=[meeting.held_by_timescale],
        )
    children: list[Person | None] = list(meeting.children.all()) or [None]
    for timescale in (DECISIONS_CIRCULATION, MINUTES_CIRCULATION):
        start_clocks(
            timescale=timescale, subject_kind=SUBJECT_KIND, subject_id=meeting.pk,
            started_at=held_at, people=children, agency=meeting.convening_agency,
            owner=meeting.chair,
        )
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return meeting


@transaction.atomic
def record_meeting_decision(
    user: User,
    *,
    meeting_id: int,
    list_name: str,
    code: str,
    rationale: str,
    child: Person | None = None,
    now: dt.datetime | None = None,
) -> MeetingDecision:
    """SM2: a decision from the pack's list, with a rationale that says something
    (``tarian.core.rationale``: a bare "NFA" is refused)."""
    meeting = _locked(user, meeting_id)
    _must_manage(user, meeting)
    _not_cancelled(meeting)
    errors: dict[str, list[str]] = {}
    if code not in current_pack().codes(list_name):
        errors["decision"] = [_("Choose a decision from the list")]
    try:
        text = check_rationale(rationale, field="rationale")
    except Refused as refusal:
        errors.update(refusal.errors)
        text = ""
    if child is not None and not meeting.children.filter(pk=child.pk).exists():
        errors["child"] = [_("Choose a child this meeting is about")]
    if errors:
        raise Refused(errors)
    decision = MeetingDecision.objects.create(
        meeting=meeting, list_name=list_name, code=code, child=child, rationale=text,
        recorded_by=user, recorded_at=now or timezone.now(),
    )
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return decision


@transaction.atomic
def agree_meeting_action(
    user: User,
    *,
    meeting_id: int,
    description: str,
    owner_agency: Agency | None,
    owner: User | None = None,
    due_date: dt.date | None,
) -> AgreedAction:
    """SM3: an action the meeting agreed, owned by an agency taking part (and a person there),
    due on a date; it closes only with an outcome (``tarian.actions``)."""
    meeting = _locked(user, meeting_id)
    _must_manage(user, meeting)
    _not_cancelled(meeting)
    if owner_agency is not None and not Invitation.objects.filter(
        meeting=meeting, agency=owner_agency
    ).exclude(status=InvitationStatus.EXCLUDED).exists():
        raise Refused("owner_agency", _("Choose an agency invited to this meeting"))
    action = agree_action(
        user, subject_kind=SUBJECT_KIND, subject_id=meeting.pk, description=description,
        owner_agency=owner_agency, owner=owner, due_date=due_date,
    )
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return action


@transaction.atomic
def record_dissent(
    user: User,
    *,
    meeting_id: int,
    reason: str,
    decision_id: int | None = None,
    what: str = "",
    now: dt.datetime | None = None,
) -> Dissent:
    """SM2: the user's agency disagrees, and why; kept with the meeting and shown to all who
    read it."""
    meeting = _locked(user, meeting_id)
    _not_cancelled(meeting)
    if not selectors.takes_part(user, meeting):
        raise Forbidden("meeting:dissent")
    text = " ".join((reason or "").split())
    if not text:
        raise Refused("reason", _("Say why your agency disagrees"))
    decision = None
    if decision_id is not None:
        decision = MeetingDecision.objects.filter(meeting=meeting, pk=decision_id).first()
        if decision is None:
            raise Refused("decision", _("Choose a decision of this meeting"))
    assert user.agency is not None
    dissent = Dissent.objects.create(
        meeting=meeting, decision=decision, agency=user.agency, person=user,
        what=what.strip(), reason=text, recorded_at=now or timezone.now(),
    )
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return dissent


@transaction.atomic
def add_addendum(
    user: User,
    *,
    meeting_id: int,
    text: str,
    agreed_on: dt.date,
    agreed_with: str = "",
    now: dt.datetime | None = None,
) -> Addendum:
    """SM5: an agreement reached outside the meeting, recorded against it."""
    moment = now or timezone.now()
    meeting = _locked(user, meeting_id)
    _must_manage(user, meeting)
    if not (text or "").strip():
        raise Refused("text", _("Write what was agreed"))
    earliest = meeting.convened_at.date() - dt.timedelta(days=1)
    if agreed_on > timezone.localdate(moment) or agreed_on < earliest:
        raise Refused("agreed_on", _("Enter the date it was agreed: after the meeting was "
                                     "convened and not in the future"))
    addendum = Addendum.objects.create(
        meeting=meeting, text=text.strip(), agreed_on=agreed_on,
        agreed_with=agreed_with.strip(), recorded_by=user, recorded_at=moment,
    )
    _circulate(user, meeting, ADDENDUM, moment)
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return addendum


@transaction.atomic
def save_minutes(
    user: User,
    *,
    meeting_id: int,
    text: str,
    translation_text: str = "",
    language: str = "en",
    version: int | None = None,
) -> Minutes:
    """SM4: draft minutes, saved as they are written (autosave); a stale version is refused,
    never silently overwritten. Approved minutes are not changed: add an addendum."""
    meeting = _locked(user, meeting_id)
    _must_manage(user, meeting)
    if language not in ("en", "cy"):
        raise Refused("language", _("Choose English or Welsh"))
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        minutes = Minutes(meeting=meeting, created_by=user, version=0)
    elif version is not None and version != minutes.version:
        raise Conflict(minutes.version)
    if minutes.status == MinutesStatus.APPROVED:
        raise Refused("text", _("The chair has approved these minutes: record a change as an "
                                "addendum"))
    minutes.text = text.replace("\x00", "")
    minutes.translation = translation_text.replace("\x00", "")
    minutes.language = language
    minutes.version += 1
    minutes.modified_by = user
    minutes.save()
    return minutes


@transaction.atomic
def approve_minutes(
    user: User, *, meeting_id: int, version: int | None = None, now: dt.datetime | None = None
) -> Minutes:
    """SM4, SM6: only the chair approves the minutes; approving circulates them."""
    moment = now or timezone.now()
    meeting = _locked(user, meeting_id)
    if meeting.chair_id != user.pk:
        raise Forbidden("meeting:approve")
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None or not minutes.text.strip():
        raise Refused("text", _("Write the minutes before approving them"))
    if version is not None and version != minutes.version:
        raise Conflict(minutes.version)
    if minutes.status == MinutesStatus.APPROVED:
        raise Refused("text", _("These minutes are already approved"))
    if meeting.status != MeetingStatus.HELD:
        raise Refused("held_at", _("Record when the meeting was held before approving its "
                                   "minutes"))
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_by = user
    minutes.approved_at = moment
    minutes.version += 1
    minutes.modified_by = user
    minutes.save()
    _circulate(user, meeting, MINUTES, moment)
    meet_clock(
        subject_kind=SUBJECT_KIND, subject_id=meeting.pk, met_at=moment,
        timescales=[MINUTES_CIRCULATION],
    )
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return minutes


@transaction.atomic
def circulate_decisions(user: User, *, meeting_id: int, now: dt.datetime | None = None) -> Meeting:
    """SM4: the decisions go to every invited agency (the pack: the same working day)."""
    moment = now or timezone.now()
    meeting = _locked(user, meeting_id)
    _must_manage(user, meeting)
    if not meeting.decisions.exists():
        raise Refused("decision", _("Record the meeting's decisions before sending them"))
    meeting.decisions_circulated_at = moment
    meeting.save(update_fields=["decisions_circulated_at"])
    _circulate(user, meeting, DECISIONS, moment)
    meet_clock(
        subject_kind=SUBJECT_KIND, subject_id=meeting.pk, met_at=moment,
        timescales=[DECISIONS_CIRCULATION],
    )
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return meeting


@transaction.atomic
def cancel_meeting(
    user: User, *, meeting_id: int, reason: str, now: dt.datetime | None = None
) -> Meeting:
    """A meeting no longer needed is cancelled with a reason; its clocks stop with it."""
    moment = now or timezone.now()
    meeting = _locked(user, meeting_id)
    _must_manage(user, meeting)
    text = " ".join((reason or "").split())
    if not text:
        raise Refused("reason", _("Say why the meeting is cancelled"))
    if meeting.status != MeetingStatus.CONVENED:
        raise Refused("reason", _("Only a meeting not yet held can be cancelled"))
    cancel_unheld(meeting, reason=text, at=moment)
    selectors.audit_meeting(user, meeting, action=AccessAction.UPDATE)
    return meeting


def cancel_unheld(meeting: Meeting, *, reason: str, at: dt.datetime) -> None:
    """Cancel inside the caller's transaction (a workflow whose step was undone)."""
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason
    meeting.version += 1
    meeting.save()
    stop_clock(subject_kind=SUBJECT_KIND, subject_id=meeting.pk, stopped_at=at, reason=reason)

