"""What a meeting's page shows in the reader's language (SM1, VC2)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from tarian.meetings.models import Invitation
from tarian.meetings.reasons import reason_in

register = template.Library()


@register.filter
def reason_in_reader(invitation: Invitation) -> str:
    """Why the agency is invited, in the reader's language (the text as written for a reason
    kept before its parts were)."""
    return reason_in(invitation, get_language() or "en")
