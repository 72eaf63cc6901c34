"""What the Gateway must see before deciding (FD6): earlier referrals of the same children, and
which agencies know each child now. How many referrals within how long make repeat referrals
is the pack's ``rules.repeat_referrals`` (3 in 12 months in both shipped packs).

Referrals on a record that may be the same child (an open duplicate pair) count as earlier
referrals too, and the page says so in words (#20 item 6): a child recorded twice must not
escape the repeat-referral rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tarian.people.models import Involvement, Person
from tarian.procedures.clocks import window_start
from tarian.procedures.packs import CountRule, Duration, Unit, current_pack
from tarian.referrals.models import Referral

REPEAT_RULE = "repeat_referrals"


@dataclass(frozen=True)
class ChildHistory:
    child: Person
    earlier: list[Referral]
    in_window: int
    involved_now: list[Involvement]
    rule: CountRule
    # #20 item 6: earlier referrals on records that may be the same child (open duplicate
    # pairs), not naming the child itself: on records the reader may open, on records they may
    # not (counted, never shown), and how many of them fall within the rule's window.
    on_duplicates: int = 0
    on_hidden_duplicates: int = 0
    duplicates_in_window: int = 0
    duplicate_records: int = 0

    @property
    def in_window_with_this(self) -> int:
        """Referrals about the child within the rule's window, counting this one and those on
        a record that may be the same child."""
        return self.in_window + self.duplicates_in_window + 1

    def duplicate_words(self) -> list[str]:
        """"2 more on a record that may be the same child", in the reader's language; and
        those on a record the reader may not open, counted only."""
        said = []
        if self.on_duplicates:
            said.append((
                _("%(count)s more on a record that may be the same child")
                if self.duplicate_records <= 1
                else _("%(count)s more on records that may be the same child")
            ) % {"count": self.on_duplicates})
        if self.on_hidden_duplicates:
            said.append(
                _("%(count)s more on a record you may not open that may be the same child")
                % {"count": self.on_hidden_duplicates}
            )
        return said

    @property
    def is_repeat(self) -> bool:
        """As many referrals within the window as the pack's rule counts, this one included
        (FD6: three or more in twelve months in both shipped packs)."""
        return self.in_window_with_this >= self.rule.count

    def repeat_tag(self) -> str:
        """"Repeat reports: 3 within 12 months", in the pack's words and the reader's
        language."""
        return capfirst(_("repeat %(reports)s: %(count)s within %(window)s") % {
            "reports": current_pack().term("report_name", get_language() or "en", plural=True),
            "count": self.in_window_with_this,
            "window": window_text(self.rule.within),
        })


def window_text(window: Duration) -> str:
    """"12 months", "30 days" in the reader's language."""
    if window.unit == Unit.MONTHS:
        return ngettext("%(count)s month", "%(count)s months", window.amount) % {
            "count": window.amount
        }
    return ngettext("%(count)s day", "%(count)s days", window.amount) % {"count": window.amount}


def earlier_referrals(
    referral: Referral,
    *,
    now: dt.datetime | None = None,
    duplicates: Mapping[int, Sequence[int]] | None = None,
    hidden: Collection[int] = (),
    within: Q | None = None,
) -> list[ChildHistory]:
    """For each child of a referral, their earlier referrals, newest first.

    Only for people who may decide on the referral (the Gateway sees all referrals); ``within``
    narrows the referrals read (``selectors.referral_scope(user, via="referral__")``).
    ``duplicates``: for each child, records that may be the same child, whose earlier referrals
    are counted with the child's (those in ``hidden``, records the reader may not open, are
    counted apart). Three queries however many children the referral names and however many
    referrals they have had.
    """
    rule = current_pack().rule(REPEAT_RULE)
    # The window ends at this referral, so an old referral's page says what was true then.
    since = window_start(referral.submitted_at, rule.within)
    today = timezone.localdate(now or timezone.now())
    children = sorted(referral.children.all(), key=lambda c: (c.family_name, c.given_name, c.pk))
    ids = [c.pk for c in children]
    same = {pk: list((duplicates or {}).get(pk, ())) for pk in ids}
    earlier_by_person: dict[int, list[Referral]] = {}
    links = (
        Referral.children.through.objects.filter(
            person_id__in=sorted({*ids, *(pk for pks in same.values() for pk in pks)}),
            referral__submitted_at__lt=referral.submitted_at,
        )
        .filter(within or Q())
        .exclude(referral_id=referral.pk)
        .select_related("referral__referrer_agency", "referral__decision")
        .order_by("-referral__submitted_at", "referral_id")
    )
    for link in links:
        earlier_by_person.setdefault(link.person_id, []).append(link.referral)
    involved_by_child: dict[int, list[Involvement]] = {pk: [] for pk in ids}
    for involvement in (
        Involvement.objects.filter(person_id__in=ids, end_date__isnull=True, start_date__lte=today)
        .select_related("agency", "team", "professional")
        .order_by("role", "pk")
    ):
        involved_by_child[involvement.person_id].append(involvement)
    histories = []
    for child in children:
        earlier = earlier_by_person.get(child.pk, [])
        recent = sum(1 for r in earlier if r.submitted_at >= since)
        # A referral naming both records is the child's own, counted once.
        counted = {r.pk for r in earlier}
        shown: list[Referral] = []
        unseen: list[Referral] = []
        records = 0
        for other in same[child.pk]:
            theirs = [r for r in earlier_by_person.get(other, []) if r.pk not in counted]
            counted |= {r.pk for r in theirs}
            if other in hidden:
                unseen += theirs
            else:
                shown += theirs
                records += 1 if theirs else 0
        histories.append(ChildHistory(
            child, earlier, recent, involved_by_child[child.pk], rule,
            on_duplicates=len(shown),
            on_hidden_duplicates=len(unseen),
            duplicates_in_window=sum(1 for r in [*shown, *unseen] if r.submitted_at >= since),
            duplicate_records=records,
        ))
    return histories
