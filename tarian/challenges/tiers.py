"""A challenge's tiers, from the procedures pack's ``challenge_tiers`` list (PC1): tier 1 is the
list's first item. What each tier is called and how long it has come from the pack, never from
code (decision 4)."""

from __future__ import annotations

from tarian.procedures.packs import ListItem, Timescale, current_pack

LIST = "challenge_tiers"


def tiers() -> list[ListItem]:
    return current_pack().list(LIST)


def last_tier() -> int:
    return len(tiers())


def tier_item(tier: int) -> ListItem:
    items = tiers()
    if not 1 <= tier <= len(items):
        raise KeyError(f"No challenge tier {tier} in the procedures pack")
    return items[tier - 1]


def tier_timescale(tier: int) -> Timescale:
    return current_pack().timescale_of(LIST, tier_item(tier).code)


def tier_label(tier: int, lang: str = "en") -> str:
    try:
        return tier_item(tier).label(lang)
    except KeyError:
        return str(tier)
