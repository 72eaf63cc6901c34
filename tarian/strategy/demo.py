"""Strategy discussions and meetings for the demonstration (issue 21; SM1 to SM7, PC1), made
through the services as the demo's users would, with times in the past (``now=``) so that the
clocks are met, due and overdue (synthetic only):

1. a strategy discussion a Gateway decision opened on a GP's referral two working days ago,
   still not held: overdue on the Gateway worker's "Due and overdue" list; one proposed agency
   left out with a reason;
2. a strategy meeting held yesterday with the school, the GP practice, the police and
   children's services: information shared (the police's for the statutory agencies only),
   a decision to start Section 47 enquiries, the GP practice's dissent and its challenge at
   tier 1 (on the chair's list), an addendum, two agreed actions (the school DSL's overdue,
   the police's completed), decisions circulated, minutes approved and opened by the school
   DSL but not the GP; another invited agency declined with a reason;
3. an older strategy meeting, held about two weeks ago, that decided Section 47 enquiries.

The enquiries started from meetings 2 and 3 are ``tarian.enquiries.demo``'s (it runs next).
Nothing is made if the demo has meetings already, so ``tarian demo`` run twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from tarian.actions.services import complete_action
from tarian.agencies.models import Agency, AgencyType, User
from tarian.challenges.services import raise_challenge
from tarian.meetings import services as meetings
from tarian.meetings.models import Audience, Invitation, InvitationStatus, Meeting
from tarian.notifications.circulation import mark_opened
from tarian.people.models import HouseholdMember, Person
from tarian.procedures import due_at
from tarian.procedures.clocks import add_working_days
from tarian.procedures.packs import current_pack
from tarian.referrals import services as referrals
from tarian.strategy import services as strategy

if TYPE_CHECKING:
    from tarian.seed.contributions import DemoContext

QUIET_EMAIL = "django.core.mail.backends.dummy.EmailBackend"
CAST = ("gateway", "team.manager", "school.dsl", "gp", "cru.officer")


@dataclass(frozen=True)
class Cast:
    gateway: User
    manager: User  # chairs the strategy meetings
    dsl: User
    gp: User
    police: User

    @property
    def school(self) -> Agency:
        assert self.dsl.agency is not None
        return self.dsl.agency

    @property
    def practice(self) -> Agency:
        assert self.gp.agency is not None
        return self.gp.agency


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def working_day(day: dt.date, n: int) -> dt.date:
    return add_working_days(day, n, current_pack().timescale(strategy.CLOCK).subdivision)


def pupils_of(cast: Cast) -> list[Person]:
    """Children with a current involvement of both the demo school and the demo GP practice,
    so that the invitation rule proposes both."""
    return list(
        Person.objects.filter(
            kind="child", merged_into=None,
            involvements__agency=cast.school, involvements__end_date__isnull=True,
        ).filter(involvements__agency=cast.practice, involvements__end_date__isnull=True)
        .distinct().order_by("pk")
    )


def other_agencies(children: list[Person], cast: Cast) -> set[int]:
    """Agencies besides the school, the practice and the statutory ones currently involved."""
    return set(
        Agency.objects.filter(
            involvements__person__in=children, involvements__end_date__isnull=True,
            is_active=True,
        ).exclude(pk__in=[cast.school.pk, cast.practice.pk, cast.gateway.agency_id,
                          cast.police.agency_id]).values_list("pk", flat=True)
    )


def choose_children(cast: Cast) -> tuple[list[Person], list[Person], Person] | None:
    """Two brothers or sisters for the meeting held yesterday (preferring a family another
    agency works with too, who can decline), one or two children of another family for the
    older meeting, and a child of a third family for the discussion (preferring one another
    agency works with, who can be left out)."""
    pupils = pupils_of(cast)
    families: dict[int, list[Person]] = {}
    for member in HouseholdMember.objects.filter(person__in=pupils).order_by(
        "household_id", "person_id"
    ).select_related("person"):
        families.setdefault(member.household_id, []).append(member.person)
    pairs = [family[:2] for family in families.values() if len(family) >= 2]
    if not pairs:
        return None
    can_answer = answerable()
    pairs.sort(key=lambda pair: not other_agencies(pair, cast) & can_answer)
    held_pair = pairs[0]
    used = {child.pk for child in held_pair}
    older_children = next(
        (pair for pair in pairs[1:] if not used & {child.pk for child in pair}), None
    )
    if older_children is None:
        lone = next((child for child in pupils if child.pk not in used), None)
        if lone is None:
            return None
        older_children = [lone]
    used |= {child.pk for child in older_children}
    used_homes = set(
        HouseholdMember.objects.filter(person__pk__in=used).values_list("household_id", flat=True)
    )
    homes: dict[int, set[int]] = {}
    for person_id, household_id in HouseholdMember.objects.filter(person__in=pupils).values_list(
        "person_id", "household_id"
    ):
        homes.setdefault(person_id, set()).add(household_id)
    singles = [
        child for child in pupils
        if child.pk not in used and not homes.get(child.pk, set()) & used_homes
    ]
    if not singles:
        return None
    singles.sort(key=lambda child: not other_agencies([child], cast))
    return held_pair, older_children, singles[0]


def answerer(agency: Agency) -> User:
    """A demo user who can answer for the agency (the caller checked there is one)."""
    return User.objects.filter(
        agency=agency, is_active=True, roles__code__in=meetings.PRACTITIONER_ROLES
    ).order_by("pk").first()  # type: ignore[return-value]


def answerable() -> set[int]:
    """Agencies where a demo user can answer an invitation."""
    return set(User.objects.filter(
        is_active=True, agency__isnull=False, roles__code__in=meetings.PRACTITIONER_ROLES
    ).values_list("agency_id", flat=True))


def extra_invitation(
    meeting: Meeting, cast: Cast, *, answerable_only: bool = False
) -> Invitation | None:
    """An invited agency that is not the school, the practice, the police or the convener
    (with ``answerable_only``, one where a demo user can answer)."""
    rows = Invitation.objects.filter(meeting=meeting, status=InvitationStatus.INVITED).exclude(
        agency_id__in=[cast.school.pk, cast.practice.pk, cast.police.agency_id,
                       meeting.convening_agency_id]
    )
    if answerable_only:
        rows = rows.filter(agency_id__in=answerable())
    return rows.select_related("agency").order_by("pk").first()


# 1. A strategy discussion opened by a Gateway decision, not yet held --------------------------


def open_overdue_discussion(cast: Cast, child: Person, now: dt.datetime) -> Meeting:
    """The GP referred in the morning two working days ago; the Gateway decided a strategy
    discussion before noon, and nobody has held it since (due one working day later)."""
    today = timezone.localdate(now)
    back = 2
    decided_at = local(working_day(today, -back), 11, 40)
    while due_at(strategy.CLOCK, decided_at) >= now:
        back += 1
        decided_at = local(working_day(today, -back), 11, 40)
    name = child.given_name or "The child"
    referral = referrals.submit_referral(cast.gp, data={
        "children": [child.ref],
        "concern": f"{name} came to the surgery with a healing burn on the forearm in the shape "
                   "of a small circle; the explanation given (a cooker ring) changed during the "
                   "appointment, and there were two minor injuries last year.",
        "voice_of_child": f"'I don't want to say. Mam said not to.' ({name} looked at the floor "
                          "and asked to go back to the waiting room.)",
        "voice_method": "own_words",
        "parental_awareness": "aware",
        "consent": "not_sought",
        "priority": "high",
    }, now=decided_at - dt.timedelta(hours=2, minutes=25))
    referrals.record_decision(
        cast.gateway, ref=referral.ref, outcome="strategy_discussion",
        rationale=f"A burn with a changing explanation on a child of {name}'s age, with two "
                  "earlier injuries on the practice's record and a parent who asked the child "
                  "not to talk: there is reasonable cause to suspect significant harm, so a "
                  "strategy discussion with the police and health is needed today.",
        now=decided_at,
    )
    referrals.sign_off_decision(cast.manager, ref=referral.ref,
                                now=decided_at + dt.timedelta(minutes=50))
    meeting = strategy.open_meeting_for(referral)
    assert meeting is not None  # the decision opens it (SM1)
    extra = extra_invitation(meeting, cast)
    if extra is not None:
        meetings.exclude_invitee(
            cast.gateway, meeting_id=meeting.pk, agency=extra.agency,
            reason=(
                "The health team agreed by telephone that the GP practice, which is invited "
                "and holds the same health record, speaks for health at this discussion."
                if extra.agency.type == AgencyType.HEALTH else
                "Its work is with the adults of the household, not the child; it has sent what "
                "it holds to the social worker, who will bring it to the discussion."
            ),
        )
    return meeting


# 2. A strategy meeting held yesterday --------------------------------------------------------


def hold_meeting_yesterday(cast: Cast, children: list[Person], now: dt.datetime) -> Meeting:
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    # Held yesterday, and long enough ago that a child not seen within 24 hours of the
    # enquiries starting (EQ2) is overdue whatever the time of day the demo is made.
    latest = (now - dt.timedelta(hours=26)).replace(second=0, microsecond=0)
    held_at = min(local(yesterday, 10), latest.replace(minute=latest.minute - latest.minute % 15))
    convened_at = held_at - dt.timedelta(hours=20)
    first, second = children[0], children[1]
    names = f"{first.given_name} and {second.given_name}"
    meeting, _created = strategy.convene_strategy_meeting(
        cast.manager, children=[child.ref for child in children], kind="meeting",
        scheduled_for=held_at, chair=cast.manager, chair_role="Team manager",
        chair_seniority="Team manager, children's services", now=convened_at,
    )
    pk = meeting.pk
    meetings.answer_invitation(
        cast.dsl, meeting_id=pk, status=InvitationStatus.ACCEPTED,
        information=f"{first.given_name} told the class teacher on Monday that Dad 'threw the "
                    f"remote at Mam' and that {second.given_name} cried all night. Attendance "
                    "this term is 88%, with most absences on Mondays. Both children are usually "
                    "collected by their aunt, who the school finds warm and reliable.",
        now=convened_at + dt.timedelta(hours=1),
    )
    meetings.share_information(
        cast.police, meeting_id=pk, audience=Audience.STATUTORY,
        text="Three domestic incidents at the address in the last six months, the latest four "
             "days ago (verbal only, no arrest). The father has a caution for assault from 2019 "
             "and bail conditions in another matter that end next month.",
        now=convened_at + dt.timedelta(hours=2),
    )
    meetings.answer_invitation(
        cast.gp, meeting_id=pk, status=InvitationStatus.ACCEPTED,
        now=convened_at + dt.timedelta(hours=3),
    )
    extra = extra_invitation(Meeting.objects.get(pk=pk), cast, answerable_only=True)
    if extra is not None:
        meetings.answer_invitation(
            answerer(extra.agency), meeting_id=pk, status=InvitationStatus.DECLINED,
            reason="Nobody from the team can attend at less than a day's notice; what the team "
                   "holds has been sent to the social worker to share at the meeting.",
            now=convened_at + dt.timedelta(hours=4),
        )
    assert cast.police.agency is not None
    meetings.record_held(
        cast.manager, meeting_id=pk, held_at=held_at,
        attended=[cast.school, cast.practice, cast.police.agency],
        risk_analysis=f"Repeated domestic abuse in the home, escalating in frequency, with "
                      f"{names} present and frightened; a father with a history of violence. "
                      "Protective: a caring aunt nearby, good school attendance, a mother who "
                      "has spoken to the school. Without enquiries the risk of significant harm "
                      "is likely to grow.",
        now=held_at + dt.timedelta(hours=1),
    )
    decision = meetings.record_meeting_decision(
        cast.manager, meeting_id=pk, list_name="strategy_decisions", code="section_47",
        rationale=f"{first.given_name}'s account to the school, three police call-outs in six "
                  "months and the father's history give reasonable cause to suspect that both "
                  "children are likely to suffer significant harm. Joint enquiries with the "
                  "police, seeing each child alone within 24 hours.",
        now=held_at + dt.timedelta(hours=1),
    )
    meetings.record_dissent(
        cast.gp, meeting_id=pk, decision_id=decision.pk,
        what="Section 47 enquiries for both children",
        reason=f"The practice saw {second.given_name} last month with no concerns, and the "
               "mother has begun to talk to the practice about the father's anger. The practice "
               "would start with a care and support assessment and a safety plan with the "
               "mother, and fears enquiries now may stop her coming to us.",
        now=held_at + dt.timedelta(hours=1, minutes=5),
    )
    meetings.circulate_decisions(cast.manager, meeting_id=pk,
                                 now=held_at + dt.timedelta(hours=1, minutes=30))
    agree_actions(cast, meeting, held_at, names)
    meetings.add_addendum(
        cast.manager, meeting_id=pk, agreed_on=timezone.localdate(held_at),
        agreed_with="PC Hughes, central referral unit",
        text="After the meeting the police and the social worker agreed by telephone to visit "
             "together at 15:30, after school, so that the aunt can collect the children first "
             "and stay with them.",
        now=held_at + dt.timedelta(hours=4),
    )
    raise_challenge(
        cast.gp, about_kind="meeting_decision", about_id=str(decision.pk),
        reason="The practice asks the chair to reconsider starting Section 47 enquiries now: "
               "the mother is beginning to seek help, and a care and support assessment with a "
               "safety plan would protect the children without losing her trust.",
        now=held_at + dt.timedelta(hours=5),
    )
    meetings.save_minutes(
        cast.manager, meeting_id=pk,
        text=f"Strategy meeting about {names}.\n\nPresent: children's services (chair), the "
             "school's designated safeguarding lead, the GP practice, the police central "
             "referral unit.\n\nInformation shared: the school's account of what "
             f"{first.given_name} said; the police's history of call-outs (shared with the "
             "statutory agencies only); the practice's recent contact with the mother.\n\n"
             "Decision: joint Section 47 enquiries. The GP practice dissents and has raised a "
             "challenge.\n\nActions: the school to send its chronology and attendance record; "
             "the police to complete checks on the father.",
    )
    approved_at = held_at + dt.timedelta(hours=20)
    meetings.approve_minutes(cast.manager, meeting_id=pk, now=approved_at)
    # The school DSL has opened what was circulated; the GP has not yet.
    mark_opened(cast.dsl, subject_kind=meetings.SUBJECT_KIND, subject_id=str(pk),
                now=approved_at + dt.timedelta(hours=1))
    return meeting


def agree_actions(cast: Cast, meeting: Meeting, held_at: dt.datetime, names: str) -> None:
    """Two agreed actions (SM3), agreed on the day of the meeting. The school's was due that
    day and is still open (overdue)."""
    held_on = timezone.localdate(held_at)
    assert cast.police.agency is not None
    meetings.agree_meeting_action(
        cast.manager, meeting_id=meeting.pk,
        description=f"Send the school's safeguarding chronology and this term's attendance "
                    f"record for {names} to the social worker, by the end of the day.",
        owner_agency=cast.school, owner=cast.dsl, due_date=held_on, today=held_on,
    )
    checks = meetings.agree_meeting_action(
        cast.manager, meeting_id=meeting.pk,
        description="Complete police checks on the father, including his bail conditions, and "
                    "tell the social worker before the joint visit.",
        owner_agency=cast.police.agency, owner=cast.police,
        due_date=held_on + dt.timedelta(days=2), today=held_on,
    )
    complete_action(
        cast.police, action_id=checks.pk,
        outcome="Checks done: the bail conditions bar contact with a named adult, not the "
                "family; no new intelligence. Told the social worker by telephone at 14:10.",
        now=held_at + dt.timedelta(hours=4, minutes=10),
    )


# 3. An older strategy meeting whose enquiries are concluded ----------------------------------


def hold_older_meeting(cast: Cast, children: list[Person], now: dt.datetime) -> Meeting:
    """Held twelve working days ago; decisions circulated the same day, minutes approved two
    working days later. ``tarian.enquiries.demo`` concludes the enquiries it started."""
    held_on = working_day(timezone.localdate(now), -12)
    held_at = local(held_on, 9, 30)
    names = " and ".join(child.given_name for child in children)
    meeting, _created = strategy.convene_strategy_meeting(
        cast.manager, children=[child.ref for child in children], kind="meeting",
        scheduled_for=held_at, chair=cast.manager, chair_role="Team manager",
        chair_seniority="Team manager, children's services",
        now=local(working_day(held_on, -1), 15),
    )
    pk = meeting.pk
    meetings.answer_invitation(
        cast.dsl, meeting_id=pk, status=InvitationStatus.ACCEPTED,
        information="Staff have noticed that the children's packed lunches are often empty and "
                    "that they arrive tired; the mother told the school she is struggling since "
                    "her partner moved in.",
        now=held_at - dt.timedelta(hours=14),
    )
    assert cast.police.agency is not None
    meetings.record_held(
        cast.manager, meeting_id=pk, held_at=held_at,
        attended=[cast.school, cast.practice, cast.police.agency],
        risk_analysis="Neglect of basic care and a new adult in the home whom no agency knows; "
                      "the mother is open with the school, which protects the children.",
        now=held_at + dt.timedelta(hours=1),
    )
    meetings.record_meeting_decision(
        cast.manager, meeting_id=pk, list_name="strategy_decisions", code="section_47",
        rationale=f"A pattern of neglect that has worsened since a new partner moved in, about "
                  f"whom nothing is known: reasonable cause to suspect that {names} are likely "
                  "to suffer significant harm. Joint enquiries, as the partner may pose a risk.",
        now=held_at + dt.timedelta(hours=1),
    )
    meetings.circulate_decisions(cast.manager, meeting_id=pk,
                                 now=held_at + dt.timedelta(hours=2))
    meetings.save_minutes(
        cast.manager, meeting_id=pk,
        text=f"Strategy meeting about {names}. The school, the GP practice and the police "
             "attended. Decision: joint Section 47 enquiries; the police to check the partner.",
    )
    meetings.approve_minutes(cast.manager, meeting_id=pk,
                             now=local(working_day(held_on, 2), 16))
    return meeting


def cast_of_demo() -> Cast | None:
    users = {user.username: user for user in User.objects.filter(username__in=CAST)}
    if len(users) < len(CAST) or any(user.agency is None for user in users.values()):
        return None
    return Cast(gateway=users["gateway"], manager=users["team.manager"], dsl=users["school.dsl"],
                gp=users["gp"], police=users["cru.officer"])


@transaction.atomic
def create_demo_strategy_meetings(*, now: dt.datetime | None = None) -> int:
    """The three meetings above, if the demo has no meetings yet; how many were made."""
    if Meeting.objects.exists():
        return 0
    cast = cast_of_demo()
    if cast is None:
        return 0
    chosen = choose_children(cast)
    if chosen is None:
        return 0
    held_pair, older_children, single = chosen
    moment = now or timezone.now()
    hold_older_meeting(cast, older_children, moment)
    hold_meeting_yesterday(cast, held_pair, moment)
    open_overdue_discussion(cast, single, moment)
    return 3


def demo(context: DemoContext) -> None:
    """Strategy discussions and meetings in several states, if the demo has none yet. The
    notifications are kept in Tarian, not emailed: they tell of things made in the past, and
    the console would print each one."""
    with override_settings(EMAIL_BACKEND=QUIET_EMAIL):
        made = create_demo_strategy_meetings()
    if made:
        context.say(f"Strategy meetings: {made}")
