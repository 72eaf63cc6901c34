"""Section 47 enquiries (issue 21; EQ1, EQ2, SM7, VC1).

- ``start_enquiry``: after a strategy meeting decided Section 47 enquiries. The type is proposed
  by the joint protocol's table in the pack from the category of concern; the chair's rationale
  is always recorded, and choosing single agency where the protocol proposes joint needs one
  that says why (it can then be challenged). The pack's clock for seeing each child starts.
- ``record_child_seen``: when, by whom, alone or not, the child's views in their own words and
  language; meets that child's clock.
- ``conclude_enquiry``: refused without an analysis of risk, or with a child not seen and no
  reason; proposes the strategy meeting that reviews the findings (SM7), with the same
  invitation rule, and may request an initial child protection conference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.audit.models import AccessAction
from tarian.core.rationale import check_rationale
from tarian.deadlines.services import meet_clock, start_clocks, stop_clock
from tarian.enquiries import selectors
from tarian.enquiries.models import ChildSeen, Enquiry, EnquiryStatus
from tarian.errors import Conflict, Forbidden, NotFound, Refused
from tarian.meetings import services as meetings
from tarian.meetings.models import MeetingStatus
from tarian.meetings.selectors import meeting_for
from tarian.people import vocabulary
from tarian.people.models import Person
from tarian.procedures.packs import current_pack
from tarian.referrals.models import VoiceMethod
from tarian.strategy import services as strategy

SUBJECT_KIND = "enquiry"
CHILD_SEEN = "child_seen_in_enquiry"
SEEN_DAYS_BACK = 31


def proposed_type(concern: str) -> str:
    """EQ1: the enquiry type the joint protocol proposes for a category of concern."""
    pack = current_pack()
    code = concern if concern in pack.codes("joint_protocol") else "unspecified"
    proposes = pack.item("joint_protocol", code).proposes
    assert proposes is not None  # the pack's parser checks every row proposes a type
    return proposes


@transaction.atomic
def start_enquiry(
    user: User,
    *,
    strategy_meeting_id: int,
    type: str,
    rationale: str,
    children: Sequence[str] = (),
    concern: str = "",
    lead: User | None = None,
    now: dt.datetime | None = None,
) -> Enquiry:
    """EQ1: start Section 47 enquiries for the children (Tarian IDs; by default every child the
    meeting is about) of a strategy meeting that decided them."""
    moment = now or timezone.now()
    if not selectors.may_start(user):
        raise Forbidden("enquiry:start")
    try:
        meeting = meeting_for(user, strategy_meeting_id)
    except NotFound:
        raise Refused("strategy_meeting", _("No strategy meeting with this id")) from None
    pack = current_pack()
    errors: dict[str, list[str]] = {}
    if meeting.kind not in (*strategy.STRATEGY_KINDS.values(), strategy.REVIEW_KIND):
        errors["strategy_meeting"] = [_("Choose a strategy discussion or meeting")]
    elif meeting.status == MeetingStatus.CANCELLED or not meeting.decisions.filter(
        code="section_47"
    ).exists():
        errors["strategy_meeting"] = [_(
            "The strategy meeting has not decided to start Section 47 enquiries: record that "
            "decision, with its rationale, first"
        )]
    if type not in pack.codes("enquiry_types"):
        errors["type"] = [_("Choose single agency, joint with the police or police only")]
    if concern and concern not in pack.codes("abuse_categories"):
        errors["concern"] = [_("Choose a category of concern from the list")]
    proposal = proposed_type(concern)
    ask = (
        _("The joint protocol proposes %(proposed)s enquiries for this concern: say why "
          "%(chosen)s enquiries keep the child safe and why the police need not take part.") % {
            "proposed": pack.label("enquiry_types", proposal).lower(),
            "chosen": pack.label("enquiry_types", type).lower(),
        }
        if type in pack.codes("enquiry_types") and type != proposal else None
    )
    try:
        text = check_rationale(rationale, field="rationale", ask=ask)
    except Refused as refused:
        errors.update(refused.errors)
        text = ""
    found = list(meeting.children.all())
    if children:
        wanted = {str(ref).strip() for ref in children}
        chosen = [child for child in found if child.ref in wanted]
        if len(chosen) != len(wanted):
            errors["children"] = [_("Choose children the strategy meeting is about")]
        found = chosen
    if not found and "children" not in errors:
        errors["children"] = [_("Choose at least one child")]
    lead = lead or user
    if lead.agency_id != user.agency_id or not lead.is_active:
        errors["lead"] = [_("Choose an active practitioner of your agency to lead")]
    if errors:
        raise Refused(errors)
    assert user.agency is not None
    enquiry = Enquiry.objects.create(
        strategy_meeting=meeting, concern=concern, proposed_type=proposal, type=type,
        rationale=text, lead=lead, lead_agency=user.agency, started_at=moment,
        created_by=user, modified_by=user,
    )
    enquiry.children.set(found)
    start_clocks(
        timescale=CHILD_SEEN, subject_kind=SUBJECT_KIND, subject_id=enquiry.pk,
        started_at=moment, people=found, agency=user.agency, owner=lead,
    )
    selectors.audit_enquiry(user, enquiry, action=AccessAction.CREATE)
    return enquiry


def _locked(user: User, enquiry_id: int, version: int | None = None) -> Enquiry:
    enquiry = selectors.enquiry_for(user, enquiry_id)
    locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if version is not None and version != locked.version:
        raise Conflict(locked.version)
    if not selectors.may_act(user, locked):
        raise Forbidden("enquiry:write")
    return locked


def _open(enquiry: Enquiry) -> None:
    if enquiry.status != EnquiryStatus.OPEN:
        raise Refused("__all__", _("These enquiries are concluded"))


@transaction.atomic
def record_child_seen(
    user: User,
    *,
    enquiry_id: int,
    child: str,
    seen_at: dt.datetime,
    seen_alone: bool,
    views: str,
    voice_method: str = "",
    language: str = "",
    now: dt.datetime | None = None,
) -> ChildSeen:
    """EQ2, VC1: a child seen, and their views; meets that child's clock."""
    moment = now or timezone.now()
    enquiry = _locked(user, enquiry_id)
    _open(enquiry)
    errors: dict[str, list[str]] = {}
    person = enquiry.children.filter(ref=str(child).strip()).first()
    if person is None:
        errors["child"] = [_("Choose a child these enquiries are about")]
    if seen_at > moment:
        errors["seen_at"] = [_("The time the child was seen cannot be in the future")]
    elif seen_at < enquiry.started_at - dt.timedelta(days=SEEN_DAYS_BACK):
        errors["seen_at"] = [_("Enter a time after the enquiries started")]
    if not (views or "").strip():
        errors["views"] = [_(
            "Write the child's views in their own words, or what you observed if they could "
            "not say"
        )]
    if voice_method and voice_method not in VoiceMethod.values:
        errors["voice_method"] = [_("Choose how the child's views were gathered")]
    if language and language not in {code for code, _label in vocabulary.choices("language")}:
        errors["language"] = [_("Choose the language the child spoke")]
    if errors:
        raise Refused(errors)
    assert person is not None
    seen = ChildSeen.objects.create(
        enquiry=enquiry, child=person, seen_at=seen_at, seen_by=user, seen_alone=seen_alone,
        views=views.strip(), voice_method=voice_method, language=language.strip()[:16],
        recorded_by=user, recorded_at=moment,
    )
    meet_clock(subject_kind=SUBJECT_KIND, subject_id=enquiry.pk, met_at=seen_at,
               timescales=[CHILD_SEEN], people=[person])
    enquiry.version += 1
    enquiry.modified_by = user
    enquiry.save()
    selectors.audit_enquiry(user, enquiry, action=AccessAction.UPDATE)
    return seen


@transaction.atomic
def conclude_enquiry(
    user: User,
    *,
    enquiry_id: int,
    outcome: str,
    analysis: str,
    child_not_seen_reason: str | Mapping[str, str] = "",
    request_conference: bool = False,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Enquiry:
    """EQ2: the outcome and the analysis of risk, which is required; a child not seen needs a
    reason. SM7: the strategy meeting that reviews the findings is convened with the same
    invitation rule."""
    moment = now or timezone.now()
    enquiry = _locked(user, enquiry_id, version)
    _open(enquiry)
    if not selectors.may_conclude(user, enquiry):
        raise Forbidden("enquiry:conclude")
    errors: dict[str, list[str]] = {}
    if outcome not in current_pack().codes("enquiry_outcomes"):
        errors["outcome"] = [_("Choose the outcome of the enquiries")]
    try:
        text = check_rationale(
            analysis, field="analysis", label=_("Analysis of risk"),
            ask=_("Say what the enquiries found, the risks to the child, what protects them, "
                  "and why the outcome follows."),
        )
    except Refused as refused:
        errors.update(refused.errors)
        text = ""
    children = list(enquiry.children.all())
    seen = set(ChildSeen.objects.filter(enquiry=enquiry).values_list("child_id", flat=True))
    not_seen = [child for child in children if child.pk not in seen]
    reasons: dict[str, str] = {}
    for child in not_seen:
        given = (
            child_not_seen_reason.get(child.ref, "")
            if isinstance(child_not_seen_reason, Mapping) else child_not_seen_reason
        )
        reason = " ".join((given or "").split())
        if not reason:
            errors["child_not_seen_reason"] = [_(
                "%(child)s was not seen during the enquiries: say why, and what was done "
                "instead"
            ) % {"child": child.full_name or child.ref}]
            break
        reasons[child.ref] = reason
    if errors:
        raise Refused(errors)
    enquiry.status = EnquiryStatus.CONCLUDED
    enquiry.outcome = outcome
    enquiry.analysis = text
    enquiry.not_seen_reasons = reasons
    enquiry.conference_requested = request_conference
    enquiry.concluded_at = moment
    enquiry.concluded_by = user
    for child in not_seen:
        stop_clock(subject_kind=SUBJECT_KIND, subject_id=enquiry.pk, stopped_at=moment,
                   reason=reasons[child.ref], timescales=[CHILD_SEEN], people=[child])
    meeting = enquiry.strategy_meeting
    enquiry.review_meeting = meetings.convene_meeting(
        user, kind=strategy.REVIEW_KIND, children=children,
        proposals=strategy.strategy_proposals(
            children, referral=strategy.referral_of(meeting), on=timezone.localdate(moment)
        ),
        chair=meeting.chair if meeting.chair.is_active else None,
        chair_role=meeting.chair_role, chair_seniority=meeting.chair_seniority,
        origin_kind=SUBJECT_KIND, origin_id=str(enquiry.pk), now=moment,
    )
    enquiry.version += 1
    enquiry.modified_by = user
    enquiry.save()
    selectors.audit_enquiry(user, enquiry, action=AccessAction.UPDATE)
    return enquiry


def children_of(enquiry: Enquiry) -> list[Person]:
    return list(enquiry.children.all())
