"""An enquiry's type can be challenged (EQ1, PC1): any agency taking part in the strategy
meeting may say single-agency enquiries should have been joint (or the reverse); the lead
answers first, then the lead agency's team managers."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.deadlines.subjects import Subject
from tarian.procedures.packs import current_pack

TYPE_KIND = "enquiry_type"
SENIOR_ROLES = ("team_manager",)


def _keys(ids: list[str]) -> list[int]:
    return [int(key) for key in ids if str(key).isdigit()]


def _visible(user: User, ids: list[str]):  # type: ignore[no-untyped-def]
    from tarian.enquiries.selectors import enquiries_for

    return enquiries_for(user).filter(pk__in=_keys(ids))


def describe(user: User, ids: list[str]) -> dict[str, Subject]:
    pack = current_pack()
    language = get_language() or "en"
    return {
        str(enquiry.pk): Subject(
            text=_("Type of %(ref)s: %(type)s") % {
                "ref": enquiry.reference,
                "type": pack.label("enquiry_types", enquiry.type, language)},
            link=f"/enquiries/{enquiry.pk}",
        )
        for enquiry in _visible(user, ids).only("pk", "type")
    }


def seen(user: User, ids: list[str]) -> set[str]:
    return {str(pk) for pk in _visible(user, ids).values_list("pk", flat=True)}


def may_challenge(user: User, about_id: str) -> bool:
    from tarian.meetings.selectors import takes_part

    enquiry = _visible(user, [about_id]).select_related("strategy_meeting").first()
    return enquiry is not None and takes_part(user, enquiry.strategy_meeting)


def responders(about_id: str, tier: int) -> list[User]:
    from tarian.enquiries.models import Enquiry

    enquiry = Enquiry.objects.filter(pk__in=_keys([about_id])).select_related("lead").first()
    if enquiry is None:
        return []
    lead = [enquiry.lead] if enquiry.lead.is_active else []
    if tier <= 1:
        return lead
    return list(
        User.objects.filter(
            agency_id=enquiry.lead_agency_id, is_active=True, roles__code__in=SENIOR_ROLES
        ).exclude(pk=enquiry.lead_id).distinct().order_by("pk")[:10]
    ) or lead


def may_respond(user: User, about_id: str, tier: int) -> bool:
    return any(responder.pk == user.pk for responder in responders(about_id, tier))


def register() -> None:
    from tarian.challenges.about import register_challengeable

    register_challengeable(
        TYPE_KIND, label=lambda: _("The type of Section 47 enquiries"), describe=describe,
        may_see=seen, may_challenge=may_challenge, responders=responders,
        may_respond=may_respond,
    )
