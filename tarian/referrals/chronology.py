"""Chronology source for the front door: referrals received, decided and signed off (IS1, IS2).

A reader sees a referral's events only if they may open the referral itself
(``referrals_for``: a school or a GP sees their own agency's referrals, not the police's)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import RecordKind, User
from tarian.chronology.events import Event, register
from tarian.people.models import Person
from tarian.procedures.packs import current_pack
from tarian.referrals import police
from tarian.referrals.models import Referral
from tarian.referrals.selectors import referrals_for


def referrals_about(user: User, person: Person) -> QuerySet[Referral]:
    """The referrals about this child that the user may open (the referral page's own rule)."""
    return referrals_for(user).filter(children=person)


def _summary(referral: Referral) -> str:
    """The concern, after a police referral's incident type and risk level (#20 item 9)."""
    note = police.chronology_note(referral, get_language() or "en")
    return (f"{note}. {referral.concern}" if note else referral.concern)[:300]


@register("referrals", readable=referrals_about)
def referral_events(referrals: QuerySet[Referral], person: Person) -> Iterator[Event]:
    # The pack's word for a referral ("Report made" in Wales), issue 20 item 5.
    made = capfirst(_("%(report)s made") % {
        "report": current_pack().term("report_name", get_language() or "en")
    })
    for referral in referrals.select_related("referrer_agency", "decision"):
        agency = referral.referrer_agency
        yield Event(
            at=referral.submitted_at,
            kind="referral_made",
            label=made,
            agency_slug=agency.slug,
            agency_name=agency.display_name(get_language() or "en"),
            summary=_summary(referral),
            record_kind=RecordKind.REFERRAL,
            link=f"/referrals/{referral.ref}",
        )
        decision = getattr(referral, "decision", None)
        if decision is not None:
            yield Event(
                at=decision.decided_at,
                kind="gateway_decision",
                label=_("Gateway decision: %(outcome)s")
                % {
                    "outcome": current_pack().label(
                        "gateway_outcomes", decision.outcome, get_language() or "en"
                    )
                },
                agency_slug="",
                agency_name=_("Gateway"),
                summary=decision.rationale[:300],
                record_kind=RecordKind.REFERRAL,
                link=f"/referrals/{referral.ref}",
            )
