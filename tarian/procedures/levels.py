"""The procedures pack's levels of need: the threshold guide a new install shows (FD7).

The pack ships a default guide (``[[lists.levels_of_need]]``). The partnership's own, edited
guide is front-door state (``tarian.referrals.threshold``); this module only reads the pack.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from tarian.procedures.packs import Pack


@dataclass(frozen=True)
class Level:
    """One level of need, from the partnership's guide or the pack's defaults."""

    code: str
    title_en: str
    title_cy: str
    description_en: str = ""
    description_cy: str = ""
    position: int = 0
    is_active: bool = True

    def title(self, language: str = "en") -> str:
        return _in_language(self.title_en, self.title_cy, language)

    def description(self, language: str = "en") -> str:
        return _in_language(self.description_en, self.description_cy, language)

    def as_data(self) -> dict[str, Any]:
        return asdict(self)


def _in_language(en: str, cy: str, language: str) -> str:
    if cy and language.lower().startswith("cy"):
        return cy
    return en


def levels_of_need(pack: Pack) -> tuple[Level, ...]:
    """The pack's levels of need, in its order, numbered from 1, all in use."""
    return tuple(
        Level(
            code=item.code,
            title_en=item.en,
            title_cy=item.cy or "",
            description_en=item.description_en or "",
            description_cy=item.description_cy or "",
            position=number,
        )
        for number, item in enumerate(pack.list("levels_of_need"), start=1)
    )
