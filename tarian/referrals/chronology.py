"""Chronology source for the front door: referrals received, decided and signed off (IS2)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import RecordKind
from tarian.chronology.events import Event, register
from tarian.people.models import Person
from tarian.procedures.packs import current_pack
from tarian.referrals.models import Referral


@register("referrals")
def referral_events(person: Person) -> Iterator[Event]:
    referrals = Referral.objects.filter(children=person).select_related(
        "referrer_agency", "decision"
    )
    for referral in referrals:
        agency = referral.referrer_agency
        yield Event(
            at=referral.submitted_at,
            kind="referral_made",
            label=_("Referral made"),
            agency_slug=agency.slug,
            agency_name=agency.display_name(get_language() or "en"),
            summary=referral.concern[:300],
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
