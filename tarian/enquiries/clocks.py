"""The enquiry's clocks in the "due and overdue" list: each child seen (EQ2)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.deadlines.subjects import Subject, register_subject


def _describe(user: User, ids: list[str]) -> dict[str, Subject]:
    from tarian.enquiries.selectors import enquiries_for

    keys = [int(key) for key in ids if key.isdigit()]
    return {
        str(enquiry.pk): Subject(
            text=_("Section 47 enquiries %(ref)s: see the child") % {"ref": enquiry.reference},
            link=f"/enquiries/{enquiry.pk}",
        )
        for enquiry in enquiries_for(user).filter(pk__in=keys).only("pk")
    }


def register() -> None:
    register_subject("enquiry", label=lambda: _("Section 47 enquiries"), describe=_describe)
