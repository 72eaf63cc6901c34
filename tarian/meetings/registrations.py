"""What a meeting lends the other shared mechanisms (issue 21): its agreed actions (SM3), which
the chair may complete and oversees when overdue, and its decisions, which any agency taking
part may challenge, the chair answering first and the convening agency's team managers after
(SM6, PC1)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.deadlines.subjects import Subject
from tarian.procedures.packs import current_pack

SUBJECT_KIND = "meeting"
DECISION_KIND = "meeting_decision"
SENIOR_ROLES = ("team_manager",)


def _keys(ids: list[str]) -> list[int]:
    return [int(key) for key in ids if str(key).isdigit()]


def _meetings(user: User, ids: list[str]):  # type: ignore[no-untyped-def]
    from tarian.meetings.selectors import meetings_for

    return meetings_for(user).filter(pk__in=_keys(ids))


def describe_meetings(user: User, ids: list[str]) -> dict[str, Subject]:
    pack = current_pack()
    language = get_language() or "en"
    return {
        str(meeting.pk): Subject(
            text=f"{pack.label('meeting_kinds', meeting.kind, language)} {meeting.reference}",
            link=f"/meetings/{meeting.pk}",
        )
        for meeting in _meetings(user, ids).only("pk", "kind")
    }


def meetings_seen(user: User, ids: list[str]) -> set[str]:
    return {str(pk) for pk in _meetings(user, ids).values_list("pk", flat=True)}


def chair_completes(user: User, subject_id: str) -> bool:
    from tarian.meetings.models import Meeting

    return Meeting.objects.filter(pk__in=_keys([subject_id]), chair=user).exists()


def chair_of(subject_id: str) -> list[User]:
    from tarian.meetings.models import Meeting

    meeting = Meeting.objects.filter(pk__in=_keys([subject_id])).select_related("chair").first()
    return [meeting.chair] if meeting is not None and meeting.chair.is_active else []


def _decisions(user: User, ids: list[str]):  # type: ignore[no-untyped-def]
    from tarian.meetings.models import MeetingDecision
    from tarian.meetings.selectors import meetings_for

    return MeetingDecision.objects.filter(
        pk__in=_keys(ids), meeting__in=meetings_for(user)
    ).select_related("meeting")


def describe_decisions(user: User, ids: list[str]) -> dict[str, Subject]:
    pack = current_pack()
    language = get_language() or "en"
    found = {}
    for decision in _decisions(user, ids):
        label = (
            pack.label(decision.list_name, decision.code, language)
            if decision.code in pack.codes(decision.list_name) else decision.code
        )
        found[str(decision.pk)] = Subject(
            text=_("%(decision)s (%(ref)s)") % {
                "decision": label, "ref": decision.meeting.reference},
            link=f"/meetings/{decision.meeting_id}",
        )
    return found


def decisions_seen(user: User, ids: list[str]) -> set[str]:
    return {str(pk) for pk in _decisions(user, ids).values_list("pk", flat=True)}


def may_challenge_decision(user: User, about_id: str) -> bool:
    from tarian.meetings.selectors import takes_part

    decision = _decisions(user, [about_id]).first()
    return decision is not None and takes_part(user, decision.meeting)


def decisions_challengeable(user: User, ids: list[str]) -> set[str]:
    """``may_challenge_decision`` for many decisions at once: one statement for the decisions,
    and ``takes_part`` once per meeting (a meeting's page asks about its own decisions)."""
    from tarian.meetings.selectors import takes_part

    decisions = list(_decisions(user, ids))
    meetings = {decision.meeting_id: decision.meeting for decision in decisions}
    taking_part = {pk for pk, meeting in meetings.items() if takes_part(user, meeting)}
    return {str(decision.pk) for decision in decisions if decision.meeting_id in taking_part}


def decision_responders(about_id: str, tier: int) -> list[User]:
    """Tier 1: the chair; later tiers: the convening agency's team managers."""
    from tarian.meetings.models import MeetingDecision

    decision = MeetingDecision.objects.filter(pk__in=_keys([about_id])).select_related(
        "meeting__chair"
    ).first()
    if decision is None:
        return []
    meeting = decision.meeting
    if tier <= 1:
        return [meeting.chair] if meeting.chair.is_active else []
    return list(
        User.objects.filter(
            agency_id=meeting.convening_agency_id, is_active=True, roles__code__in=SENIOR_ROLES
        ).exclude(pk=meeting.chair_id).distinct().order_by("pk")[:10]
    ) or ([meeting.chair] if meeting.chair.is_active else [])


def may_respond_to_decision(user: User, about_id: str, tier: int) -> bool:
    return any(responder.pk == user.pk for responder in decision_responders(about_id, tier))


def register() -> None:
    from tarian.actions.subjects import register_action_subject
    from tarian.challenges.about import register_challengeable

    register_action_subject(
        SUBJECT_KIND, label=lambda: _("Meeting"), describe=describe_meetings,
        may_see=meetings_seen, may_complete=chair_completes, overseers=chair_of,
    )
    register_challengeable(
        DECISION_KIND, label=lambda: _("A meeting's decision"), describe=describe_decisions,
        may_see=decisions_seen, may_challenge=may_challenge_decision,
        responders=decision_responders, may_respond=may_respond_to_decision,
        may_challenge_many=decisions_challengeable,
    )
