"""Section 47 enquiries for the demonstration (issue 21; EQ1, EQ2, SM7, VC1), started from the
strategy meetings ``tarian.strategy.demo`` held (synthetic only):

- from the meeting held yesterday, joint enquiries led by the demo's social worker: one child
  seen, their views in their own words in Welsh; the other not yet seen, overdue on the social
  worker's "Due and overdue" list;
- from the older meeting, joint enquiries concluded (concerns substantiated, an analysis of
  risk, a conference requested), with the strategy meeting that reviews them convened (SM7).

Nothing is made if the demo has enquiries already, so ``tarian demo`` run twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.test.utils import override_settings

from tarian.agencies.models import User
from tarian.enquiries import services
from tarian.enquiries.models import Enquiry
from tarian.meetings.models import Meeting, MeetingStatus
from tarian.strategy import services as strategy
from tarian.strategy.demo import QUIET_EMAIL

if TYPE_CHECKING:
    from tarian.seed.contributions import DemoContext

WELSH_VIEWS = (
    "'Dw i'n teimlo'n saff yn yr ysgol. Pan mae Dad yn gweiddi dw i'n mynd i'r llofft efo'r ci "
    "ac yn rhoi'r teledu ymlaen yn uchel. Dw i isio i bawb stopio ffraeo. Dw i'n licio mynd at "
    "Anti ar ôl ysgol.'"
)


def meetings_that_decided_enquiries() -> list[Meeting]:
    """Held strategy meetings that decided Section 47 enquiries, the most recent first."""
    return list(
        Meeting.objects.filter(
            kind__in=strategy.STRATEGY_KINDS.values(), status=MeetingStatus.HELD,
            decisions__code="section_47",
        ).distinct().order_by("-held_at", "-pk")
    )


def start_open_enquiries(manager: User, worker: User, meeting: Meeting) -> Enquiry:
    assert meeting.held_at is not None
    started_at = meeting.held_at + dt.timedelta(hours=1, minutes=45)
    enquiry = services.start_enquiry(
        manager, strategy_meeting_id=meeting.pk, type="joint", concern="physical", lead=worker,
        rationale="The father's violence is at the centre of the concerns and may be a crime: "
                  "joint enquiries with the police, the social worker and an officer visiting "
                  "together, each child seen alone.",
        now=started_at,
    )
    children = list(enquiry.children.order_by("pk"))
    services.record_child_seen(
        worker, enquiry_id=enquiry.pk, child=children[0].ref,
        seen_at=started_at + dt.timedelta(hours=2, minutes=15), seen_alone=True,
        views=WELSH_VIEWS, voice_method="own_words", language="cy",
        now=started_at + dt.timedelta(hours=4),
    )
    return enquiry


def conclude_older_enquiries(manager: User, worker: User, meeting: Meeting) -> Enquiry:
    assert meeting.held_at is not None
    started_at = meeting.held_at + dt.timedelta(hours=2)
    enquiry = services.start_enquiry(
        manager, strategy_meeting_id=meeting.pk, type="joint", concern="neglect", lead=worker,
        rationale="Neglect alone would call for single-agency enquiries, but nothing is known of "
                  "the new partner and the police hold information about him: joint enquiries, "
                  "so that police checks and the visit are planned together.",
        now=started_at,
    )
    for number, child in enumerate(enquiry.children.order_by("pk")):
        seen_at = started_at + dt.timedelta(hours=3 + 20 * number)
        services.record_child_seen(
            worker, enquiry_id=enquiry.pk, child=child.ref, seen_at=seen_at,
            seen_alone=number == 0,
            views=("'We don't have breakfast when he's there. I make toast if there's bread.'"
                   if number == 0 else
                   "Played with the dolls' house and put the adult figures outside it; said "
                   "'the man is cross' and would not say more."),
            voice_method="own_words" if number == 0 else "observation", language="en",
            now=seen_at + dt.timedelta(hours=1),
        )
    concluded_at = meeting.held_at + dt.timedelta(days=8, hours=6)
    return services.conclude_enquiry(
        worker, enquiry_id=enquiry.pk, outcome="concerns_substantiated",
        analysis="The children have gone without food and basic care for several months, "
                 "worse since the mother's partner moved in; the police found he has "
                 "convictions for violence and was not known to the mother to have them. The "
                 "mother is honest with the school and wants help, which protects the children, "
                 "but she cannot yet keep the partner away. The risk of significant harm is "
                 "continuing, so an initial child protection conference is requested.",
        request_conference=True, now=concluded_at,
    )


@transaction.atomic
def create_demo_enquiries() -> int:
    """The enquiries above, if the demo has none yet; how many were made."""
    if Enquiry.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(
        username__in=["team.manager", "social.worker"])}
    found = meetings_that_decided_enquiries()
    if len(users) < 2 or len(found) < 2:
        return 0
    manager, worker = users["team.manager"], users["social.worker"]
    start_open_enquiries(manager, worker, found[0])
    conclude_older_enquiries(manager, worker, found[-1])
    return 2


def demo(context: DemoContext) -> None:
    """Section 47 enquiries open and concluded, if the demo has none yet (their notifications
    kept in Tarian, not emailed, as ``tarian.strategy.demo`` does)."""
    with override_settings(EMAIL_BACKEND=QUIET_EMAIL):
        create_demo_enquiries()
