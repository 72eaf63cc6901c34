"""What the Gateway must see before deciding (FD6): earlier referrals of the same children, and
which agencies know each child now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tarian.people.models import Involvement, Person
from tarian.referrals.models import Referral

REPEAT_THRESHOLD = 3
REPEAT_WINDOW_DAYS = 365


@dataclass(frozen=True)
class ChildHistory:
    child: Person
    earlier: list[Referral]
    in_last_year: int
    involved_now: list[Involvement]

    @property
    def is_repeat(self) -> bool:
        """Three or more referrals in twelve months, counting this one (FD6)."""
        return self.in_last_year + 1 >= REPEAT_THRESHOLD


def earlier_referrals(referral: Referral, *, now: dt.datetime | None = None) -> list[ChildHistory]:
    """For each child of a referral, their earlier referrals, newest first.

    Only for people who may decide on the referral (the Gateway sees all referrals).
    """
    moment = now or timezone.now()
    year_ago = moment - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    histories = []
    for child in referral.children.all().order_by("family_name", "given_name"):
        earlier = list(
            Referral.objects.filter(children=child, submitted_at__lt=referral.submitted_at)
            .exclude(pk=referral.pk)
            .select_related("referrer_agency", "decision")
            .order_by("-submitted_at")
        )
        recent = sum(1 for r in earlier if r.submitted_at >= year_ago)
        today = timezone.localdate()
        involved = [
            i for i in Involvement.objects.filter(person=child, end_date__isnull=True)
            .select_related("agency").order_by("role")
            if i.start_date <= today
        ]
        histories.append(ChildHistory(child, earlier, recent, involved))
    return histories
