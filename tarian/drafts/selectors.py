"""A user's unsent drafts, listed where they can be resumed or discarded (issue 18).

Drafts are private to their author. Each is shown by what it is about: the person's name where
the user may still see them (a read, audited: IS4), otherwise only that it is about someone
they cannot see now. A draft never fills in a form about anyone else (``drafts``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.drafts import services as drafts
from tarian.people import selectors
from tarian.people.models import Person
from tarian.procedures.packs import current_pack

REFERRAL = "referral"
PERSON_EDIT = "person-edit"


@dataclass(frozen=True)
class DraftRow:
    draft_id: int
    label: str
    saved_at: dt.datetime
    resume_url: str


def resume_url(form: str, subject: str) -> str:
    """Where a draft of this form about this subject is opened again."""
    if form == PERSON_EDIT:
        return reverse("web:edit_person", args=[subject])
    return reverse("web:new_referral") + "?" + urlencode({"about": subject})


def _label(form: str, subject: str, person: Person | None) -> str:
    if form == PERSON_EDIT:
        if person is None:
            return _("Unsaved changes to the record of someone you cannot see now")
        return _("Unsaved changes to the record of %(name)s (%(ref)s)") % {
            "name": person.full_name,
            "ref": person.ref,
        }
    # The pack's word for a referral ("report" in Wales), issue 20 item 5.
    report = current_pack().term("report_name", get_language() or "en")
    if not subject:
        return capfirst(_("unsent %(report)s, begun without a child") % {"report": report})
    if person is None:
        return capfirst(
            _("unsent %(report)s about a child you cannot see now") % {"report": report}
        )
    return capfirst(_("unsent %(report)s about %(name)s (%(ref)s)") % {
        "report": report,
        "name": person.full_name,
        "ref": person.ref,
    })


def draft_rows(user: User, *, forms: tuple[str, ...] = ()) -> list[DraftRow]:
    """The user's drafts (of these forms), the latest first, each with what it is about."""
    mine = [d for d in drafts.drafts_of(user, forms=forms) if d.form in (REFERRAL, PERSON_EDIT)]
    refs = sorted({d.subject for d in mine if d.subject})
    people = {p.ref: p for p in selectors.people_for(user).filter(ref__in=refs)} if refs else {}
    selectors.audit_listed(user, [p.pk for p in people.values()], shown_on="drafts")
    return [
        DraftRow(
            draft_id=d.pk,
            label=_label(d.form, d.subject, people.get(d.subject)),
            saved_at=d.saved_at,
            resume_url=resume_url(d.form, d.subject),
        )
        for d in mine
    ]
