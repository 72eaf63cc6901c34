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

    Only for people who may decide on the referral (the Gateway sees all referrals). Three
    queries however many children the referral names and however many referrals they have had.
    """
    moment = now or timezone.now()
    year_ago = moment - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    today = timezone.localdate()
    children = sorted(referral.children.all(), key=lambda c: (c.family_name, c.given_name, c.pk))
    ids = [c.pk for c in children]
    earlier_by_child: dict[int, list[Referral]] = {pk: [] for pk in ids}
    links = (
        Referral.children.through.objects.filter(
            person_id__in=ids, referral__submitted_at__lt=referral.submitted_at
        )
        .exclude(referral_id=referral.pk)
        .select_related("referral__referrer_agency", "referral__decision")
        .order_by("-referral__submitted_at", "referral_id")
    )
    for link in links:
        earlier_by_child[link.person_id].append(link.referral)
    involved_by_child: dict[int, list[Involvement]] = {pk: [] for pk in ids}
    for involvement in (
        Involvement.objects.filter(person_id__in=ids, end_date__isnull=True, start_date__lte=today)
        .select_related("agency")
        .order_by("role", "pk")
    ):
        involved_by_child[involvement.person_id].append(involvement)
    histories = []
    for child in children:
        earlier = earlier_by_child[child.pk]
        recent = sum(1 for r in earlier if r.submitted_at >= year_ago)
        histories.append(ChildHistory(child, earlier, recent, involved_by_child[child.pk]))
    return histories
