"""The procedures pack's own words for the front door's messages (issue 20 item 5)."""

from __future__ import annotations

from django.utils.translation import get_language

from tarian.procedures.packs import current_pack


def pack_words() -> dict[str, str]:
    """The pack's own words (issue 20 item 5) in the reader's language: ``report`` ("report"
    in Wales, "referral" in England) and ``lead`` ("designated safeguarding person" or
    "designated safeguarding lead"), for messages that name them."""
    pack = current_pack()
    language = get_language() or "en"
    return {
        "report": pack.term("report_name", language),
        "lead": pack.term("safeguarding_lead", language),
    }
