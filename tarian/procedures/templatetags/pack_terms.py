"""The procedures pack's own words in templates (issue 20 item 5): a Wales deployment says
"report" and "designated safeguarding person" where an England one says "referral" and
"designated safeguarding lead", in English and Welsh.

``{% term "report_name" plural=True capital=True as reports %}`` puts the current pack's term,
in the reader's language, into ``reports`` for a ``{% blocktranslate %}`` to use.
"""

from __future__ import annotations

from django import template
from django.utils.text import capfirst
from django.utils.translation import get_language

from tarian.procedures.packs import current_pack

register = template.Library()


@register.simple_tag
def term(key: str, *, plural: bool = False, capital: bool = False) -> str:
    text = current_pack().term(key, get_language() or "en", plural=plural)
    return capfirst(text) if capital else text
