"""Why an agency is invited to a meeting, in the reader's language (SM1, VC2).

An invitation keeps its reason as parts (``Invitation.reason_parts``), each rendered in the
language of whoever reads it, so a Welsh reader of a meeting convened in English reads the
reason in Welsh:

- ``{"involvement": role, "child": name, "since": "YYYY-MM-DD"}``: the invitation rule's own
  ("School for Cai Jones since September 2021"), the role a code of ``InvolvementRole``;
- ``{"message": msgid, "values": {...}}``: a reason a workflow gives (the referral it made),
  an English message of the catalogue marked with ``gettext_noop`` and its plain values, so
  that this mechanism knows no workflow;
- ``{"text": words}``: what a person typed (inviting an agency), shown as typed.

``Invitation.reason`` keeps the text in the convener's language: what is shown for a row
written before the parts were kept, or whose parts cannot be read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import dateformat, translation
from django.utils.translation import gettext as _

from tarian.meetings.models import Invitation
from tarian.people.models import InvolvementRole

Part = dict[str, Any]
SEPARATOR = "; "


def involvement_part(role: str, child: str, since: dt.date) -> Part:
    return {"involvement": role, "child": child, "since": since.isoformat()}


def message_part(message: str, **values: str) -> Part:
    """``message`` is an English msgid marked with ``gettext_noop``, ``values`` its plain
    (untranslated) values."""
    return {"message": message, "values": values}


def typed_part(text: str) -> Part:
    return {"text": text}


def _one(part: Part) -> str | None:
    if "text" in part:
        return str(part["text"])
    if "message" in part:
        return _(str(part["message"])) % {
            str(key): str(value) for key, value in dict(part.get("values") or {}).items()
        }
    if "involvement" in part:
        role = InvolvementRole(part["involvement"]).label
        return _("%(role)s for %(child)s since %(since)s") % {
            "role": role, "child": part["child"],
            "since": dateformat.format(dt.date.fromisoformat(part["since"]), "F Y"),
        }
    return None


def render(parts: Sequence[Part], language: str) -> str | None:
    """The parts in ``language``, or None if any cannot be read (a part of a kind this
    version does not know, a role no longer in the list)."""
    texts = []
    with translation.override(language):
        for part in parts:
            try:
                text = _one(part)
            except (KeyError, TypeError, ValueError):
                return None
            if text is None:
                return None
            texts.append(text)
    return SEPARATOR.join(texts)


def reason_in(invitation: Invitation, language: str) -> str:
    """Why the agency is invited, in ``language`` where its parts are kept, else as it was
    written."""
    if not invitation.reason_parts:
        return invitation.reason
    return render(invitation.reason_parts, language) or invitation.reason
