"""Referrals for the demonstration: a Gateway queue with some history (synthetic only)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from tarian.agencies.models import Action, User
from tarian.people.models import Involvement, Person
from tarian.people.selectors import people_for
from tarian.people.unseen import issue_handle
from tarian.referrals import reviews, services
from tarian.referrals.models import Referral

if TYPE_CHECKING:
    from tarian.seed.contributions import DemoContext

# What each kind of referrer writes (concern, the child's voice, priority); five each, in the
# same order of priority, so the demo's random choices are the same whoever refers.
SCHOOL_CONCERNS = [
    ("came to school with a bruise on the upper arm and said an adult at home grabbed them",
     "'Mam's boyfriend gets angry when I'm slow.'", "high"),
    ("has been arriving hungry and in the same clothes all week; attendance has fallen to 70%",
     "'There isn't any food in the morning.'", "medium"),
    ("told a teaching assistant that they are scared when their parents argue at night",
     "Drew a picture of the house with shouting mouths and said it is 'too loud to sleep'.",
     "medium"),
    ("was not collected after school and said they did not want to go home because of their "
     "stepfather", "'He said next time he'll really hurt me.'", "high"),
    ("has missed eleven days this half term with no reason given; the family do not answer "
     "the school's calls", "", "standard"),
]
HEALTH_CONCERNS = [
    ("had a bruise on the cheek at a home visit that the parents could not explain; the baby "
     "is not yet crawling", "", "high"),
    ("is losing weight between visits and the home had no formula or clean bottles",
     "Seemed listless and did not settle when picked up.", "medium"),
    ("lives with a mother who told the health visitor her partner controls the money and "
     "checks her phone", "Watched the door whenever voices were raised.", "medium"),
    ("was left in the care of a 10-year-old sibling when the health visitor called at 4pm",
     "", "high"),
    ("missed three health appointments in a row; the health visitor could not gain entry",
     "", "standard"),
]
POLICE_CONCERNS = [
    ("was at home when officers attended a domestic incident; their mother had injuries to her "
     "face and the child was hiding upstairs", "'Dad hit Mam again. I hid under the bed.'",
     "high"),
    ("was reported missing by their carer and found by officers at 2am walking alone by the "
     "harbour", "Said very little and asked not to be taken home.", "medium"),
    ("lives at an address where officers attended a verbal argument between the parents; the "
     "child was staying with grandparents at the time", "", "standard"),
]
ABSENT = {
    "school.dsl": "Not spoken to: the child has not been in school since the concern arose.",
    "health.visitor": "Too young to say; what was seen is in the concern.",
    "cru.officer": "Not present: staying with grandparents at the time.",
}
# What the officer adds (#20 item 9), taken in turn so the demo's random choices are unchanged.
POLICE_FACTS = [
    {"crime_reference": "DEMO/24/118733", "incident_type": "domestic_abuse",
     "police_risk_level": "high", "children_present": True, "children_seen": True,
     "protection_notice_considered": True,
     "protection_notice_outcome": "DVPN authorised by the duty superintendent and served."},
    {"public_protection_notice_reference": "PPN-DEMO-0417", "incident_type": "missing_child",
     "police_risk_level": "medium", "children_present": True, "children_seen": True},
    {"crime_reference": "DEMO/24/120051", "incident_type": "domestic_abuse",
     "police_risk_level": "standard", "children_present": False,
     "protection_notice_considered": False,
     "protection_notice_outcome": "Not considered: the suspect had left the area."},
]
RATIONALES = [
    "Considered the history, the child's words and the views of the school: the concerns are "
    "about unmet needs rather than harm, and the family agree to support, so early help fits.",
    "A second referral about the same child: attendance and hunger again, but no sign of harm "
    "and the family took up early help last time; the team around the family is asked to "
    "review the plan with the school within a month.",
]
SUPERVISOR_COMMENT = (
    "Say whether the child normally lives at the address, who looks after them when the "
    "parents argue, and whether the grandparents were spoken to, then send it back to me."
)


@transaction.atomic
def create_demo_referrals(*, random_seed: int = 1) -> int:
    """A dozen referrals from schools, health and police about seeded children, some decided."""
    if Referral.objects.exists():
        return 0
    rng = random.Random(random_seed)  # noqa: S311  # nosec B311 - synthetic demo data
    users = {u.username: u for u in User.objects.filter(
        username__in=["school.dsl", "health.visitor", "cru.officer", "cru.supervisor", "gateway",
                      "team.manager"])}
    if len(users) < 6:
        return 0
    school = users["school.dsl"]
    pupils = list(
        Person.objects.filter(
            involvements__agency=school.agency, involvements__end_date__isnull=True
        ).order_by("pk").distinct()[:40]
    )
    not_pupils = Involvement.objects.filter(agency=school.agency).values("person")
    others = list(
        Person.objects.filter(kind="child").exclude(pk__in=not_pupils).order_by("pk")[:40]
    )
    # A referrer names only children they may see (IS1): the health visitor's own families.
    visited = list(
        people_for(users["health.visitor"], Action.LIST)
        .filter(kind="child")
        .exclude(pk__in=not_pupils)
        .order_by("pk")[:40]
    )
    now = timezone.now()
    made = 0
    repeat_child = pupils[0] if pupils else None
    plan: list[tuple[User, Person, int]] = []
    if repeat_child is not None:
        plan += [(school, repeat_child, days) for days in (200, 90, 0)]
    plan += [(school, rng.choice(pupils), rng.randint(0, 2)) for _ in range(3) if pupils]
    plan += [
        (users["health.visitor"], rng.choice(visited), rng.randint(0, 2))
        for _ in range(3)
        if visited
    ]
    plan += [(users["cru.officer"], rng.choice(others), 0) for _ in range(3)]
    police_made = decided = 0
    police_referrals: list[Referral] = []
    for referrer, child, days_ago in plan:
        pick = rng.randrange(len(SCHOOL_CONCERNS))
        facts: dict[str, object] = {}
        if referrer.username == "cru.officer":
            concern, voice, priority = POLICE_CONCERNS[police_made % len(POLICE_CONCERNS)]
            facts = POLICE_FACTS[police_made % len(POLICE_FACTS)]
            police_made += 1
        elif referrer.username == "health.visitor":
            concern, voice, priority = HEALTH_CONCERNS[pick]
        else:
            concern, voice, priority = SCHOOL_CONCERNS[pick]
        referral = services.submit_referral(
            referrer,
            data={
                "children": [child.ref],
                "concern": f"{child.given_name or 'The child'} {concern}.",
                "voice_of_child": voice,
                "voice_method": "own_words" if voice.startswith("'") else
                ("observation" if voice else ""),
                "voice_of_child_absent_reason": "" if voice else ABSENT[referrer.username],
                "parental_awareness": "aware",
                "consent": "given",
                "priority": priority,
                **facts,
            },
            now=(sent := now - dt.timedelta(days=days_ago, hours=rng.randint(1, 6))),
        )
        made += 1
        if referrer.username == "cru.officer":
            police_referrals.append(referral)
        if days_ago >= 30:
            # Decided and signed off the day it came in, as the clock asks.
            services.record_decision(
                users["gateway"], ref=referral.ref, outcome="early_help",
                rationale=RATIONALES[decided % len(RATIONALES)],
                now=sent + dt.timedelta(hours=3),
            )
            services.sign_off_decision(users["team.manager"], ref=referral.ref,
                                       now=sent + dt.timedelta(hours=5))
            decided += 1
    hidden = [
        child for child in visited
        if not people_for(school, Action.LIST).filter(pk=child.pk).exists()
    ][-1:]
    for child in hidden:
        # A child the school cannot see on Tarian (a health visitor's family), referred through
        # the possible match's handle; the Gateway confirms or rejects the record (#20 item 8).
        services.submit_referral(school, data={
            "children": [],
            "unseen_children": [{
                "handle": issue_handle(school, child.pk),
                "given_name": child.given_name, "family_name": child.family_name,
                "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else "",
            }],
            "concern": f"{child.given_name} joined the school nursery this week and arrived "
                       "with a burn mark on the back of the hand that nobody at home explained.",
            "voice_of_child": "'It was hot.'", "voice_method": "own_words",
            "parental_awareness": "not_told_risk", "consent": "not_sought", "priority": "high",
        }, now=now - dt.timedelta(hours=2))
        made += 1
    if len(police_referrals) > 1:
        # One police referral the supervisor sent back, for the officer to change and send
        # again (#20 item 2); the others wait for the supervisor.
        reviews.return_referral(users["cru.supervisor"], ref=police_referrals[-1].ref,
                                comment=SUPERVISOR_COMMENT)
    return made


def demo(context: DemoContext) -> None:
    """A Gateway queue with some history, if the demo has no referrals yet."""
    create_demo_referrals(random_seed=context.random_seed)
