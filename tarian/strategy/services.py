"""Convening strategy discussions and meetings (issue 21; SM1, SM7).

A Gateway decision of "strategy discussion" opens one at once, in the decision's transaction,
with the pack's ``strategy_discussion`` clock from the decision; a team manager may convene one
directly. Tarian proposes every agency currently involved with any of the children, the
referrer's agency and the police (a strategy discussion is held with the police), each with
its reason; each proposed agency is invited unless someone with a reason leaves it out. The
police are told at once that it is being convened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tarian.agencies.models import Action, Agency, AgencyType, User
from tarian.errors import Forbidden, NotFound, Refused
from tarian.meetings import services as meetings
from tarian.meetings.models import Meeting, MeetingStatus
from tarian.meetings.reasons import Part, message_part
from tarian.meetings.selectors import meeting_scope
from tarian.people.models import Person
from tarian.people.selectors import people_for
from tarian.referrals.models import GatewayDecision, Referral
from tarian.referrals.selectors import referral_for

# The API's ``kind`` and the pack's meeting kinds.
STRATEGY_KINDS = {"discussion": "strategy_discussion", "meeting": "strategy_meeting"}
REVIEW_KIND = "review_strategy_meeting"
ORIGIN_REFERRAL = "referral"
CLOCK = "strategy_discussion"


def _police_for(children: Sequence[Person], referral: Referral | None) -> Agency | None:
    """The police force to hold the discussion with: the referring force, else a force
    involved with a child, else the partnership's (first active) force."""
    if referral is not None and referral.referrer_agency.type == AgencyType.POLICE:
        return referral.referrer_agency
    involved = Agency.objects.filter(
        type=AgencyType.POLICE, is_active=True, involvements__person__in=list(children),
        involvements__end_date__isnull=True,
    ).order_by("pk").first()
    return involved or Agency.objects.filter(
        type=AgencyType.POLICE, is_active=True
    ).order_by("pk").first()


def _also(children: Sequence[Person], referral: Referral | None) -> list[tuple[Agency, Part]]:
    also: list[tuple[Agency, Part]] = []
    if referral is not None:
        also.append((referral.referrer_agency,
                     message_part(gettext_noop("Made the referral %(ref)s"), ref=referral.ref)))
    police = _police_for(children, referral)
    if police is not None:
        also.append((police, message_part(
            gettext_noop("The police: a strategy discussion is held with the police"))))
    return also


def strategy_proposals(
    children: Sequence[Person], *, referral: Referral | None, on: dt.date
) -> list[meetings.Proposal]:
    """SM1, SM7: the invitation rule of every strategy meeting, the review of an enquiry's
    conclusion included: every involved agency, the referrer's, and the police."""
    return meetings.propose_invitees(children, on=on, also=_also(children, referral))


def referral_of(meeting: Meeting) -> Referral | None:
    if meeting.origin_kind != ORIGIN_REFERRAL:
        return None
    return Referral.objects.filter(ref=meeting.origin_id).select_related(
        "referrer_agency"
    ).first()


def open_meeting_for(referral: Referral) -> Meeting | None:
    return Meeting.objects.filter(
        origin_kind=ORIGIN_REFERRAL, origin_id=referral.ref, kind__in=STRATEGY_KINDS.values(),
    ).exclude(status=MeetingStatus.CANCELLED).order_by("pk").first()


def _convene(
    user: User,
    *,
    kind: str,
    children: Sequence[Person],
    referral: Referral | None,
    scheduled_for: dt.datetime | None,
    chair: User | None,
    chair_role: str,
    chair_seniority: str,
    clock_started_at: dt.datetime,
    now: dt.datetime,
) -> Meeting:
    proposals = strategy_proposals(children, referral=referral, on=timezone.localdate(now))
    return meetings.convene_meeting(
        user, kind=kind, children=children, proposals=proposals, scheduled_for=scheduled_for,
        chair=chair, chair_role=chair_role, chair_seniority=chair_seniority,
        origin_kind=ORIGIN_REFERRAL if referral else "", origin_id=referral.ref if referral else "",
        held_by_timescale=CLOCK, clock_started_at=clock_started_at, now=now,
    )


def convene_from_decision(
    user: User, referral: Referral, decision: GatewayDecision, moment: dt.datetime
) -> None:
    """A Gateway decision of "strategy discussion" opens the discussion (contract: a later
    ``POST /strategy-meetings`` naming the referral answers this one)."""
    if open_meeting_for(referral) is not None:
        return
    _convene(
        user, kind=STRATEGY_KINDS["discussion"], children=list(referral.children.all()),
        referral=referral, scheduled_for=None, chair=None, chair_role="", chair_seniority="",
        clock_started_at=moment, now=moment,
    )


def cancel_for_returned_decision(user: User, referral: Referral, moment: dt.datetime) -> None:
    """The decision was returned or replaced: a discussion it opened and nobody has held yet
    is cancelled, with the reason, and its clock stops."""
    meeting = open_meeting_for(referral)
    if meeting is None or meeting.status != MeetingStatus.CONVENED:
        return
    with translation.override(user.reads_in()):
        reason = _("The Gateway decision that opened it was returned or replaced")
    meetings.cancel_unheld(meeting, reason=reason, at=moment)


@transaction.atomic
def convene_strategy_meeting(
    user: User,
    *,
    children: Sequence[str],
    kind: str = "discussion",
    referral_ref: str = "",
    scheduled_for: dt.datetime | None = None,
    chair: User | None = None,
    chair_role: str = "",
    chair_seniority: str = "",
    now: dt.datetime | None = None,
) -> tuple[Meeting, bool]:
    """SM1: convene a strategy discussion or meeting for one or more children (their Tarian
    IDs). Naming a referral that already opened one answers that one (``created`` False)."""
    moment = now or timezone.now()
    if meeting_scope(user, Action.WRITE) is None or not user.has_role(
        "team_manager", "social_worker", "gateway_worker", "conference_chair"
    ) or user.agency is None or user.agency.type != AgencyType.CHILDRENS_SERVICES:
        raise Forbidden("strategy_meeting:convene")
    if kind not in STRATEGY_KINDS:
        raise Refused("kind", _("Choose a strategy discussion or a strategy meeting"))
    referral = None
    if referral_ref:
        try:
            referral = referral_for(user, referral_ref)
        except NotFound:
            raise Refused("referral", _("No referral with this reference")) from None
        existing = open_meeting_for(referral)
        if existing is not None:
            return existing, False
    refs = [str(ref).strip() for ref in children if str(ref).strip()]
    if not refs and referral is not None:
        found = list(referral.children.all())
    else:
        found = list(people_for(user).filter(ref__in=refs))
        missing = sorted(set(refs) - {person.ref for person in found})
        if missing:
            raise Refused("children", _("No child with the Tarian ID %(refs)s") % {
                "refs": ", ".join(missing)})
    if not found:
        raise Refused("children", _("Choose at least one child"))
    meeting = _convene(
        user, kind=STRATEGY_KINDS[kind], children=found, referral=referral,
        scheduled_for=scheduled_for, chair=chair, chair_role=chair_role,
        chair_seniority=chair_seniority, clock_started_at=moment, now=moment,
    )
    return meeting, True
