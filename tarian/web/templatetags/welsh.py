"""``after_gan``: a name as Welsh says it after "gan" (by), softly mutated; unchanged in any
other language (#20 item 11, VC2)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from tarian.core.welsh import soft_mutation

register = template.Library()


@register.filter
def after_gan(name: object) -> str:
    text = str(name or "")
    return soft_mutation(text) if (get_language() or "en") == "cy" else text
