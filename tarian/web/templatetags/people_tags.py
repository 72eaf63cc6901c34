"""Template filters for the shared record."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from tarian.people import vocabulary

register = template.Library()


@register.filter
def vocab(code: str, list_name: str) -> str:
    """The label of a controlled-list code in the current language (VC2)."""
    if not code:
        return ""
    return vocabulary.label(list_name, code, get_language() or "en")
