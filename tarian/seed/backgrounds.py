"""Family backgrounds in the synthetic Gaerwen population: names, ethnicity and language (VC2).

Proportions are plausible for a north Wales authority rather than census figures: about a fifth
of people in the Welsh-speaking north have Welsh as their first language, most people are
White British with English, and there are Polish, Romanian, Syrian, Pakistani, Bangladeshi,
Somali and other families, more of them in the English-speaking south. Codes come from
``tarian/people/lists.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass

NORTH = "north"
SOUTH = "south"


@dataclass(frozen=True)
class Background:
    code: str
    # Weighted codes from lists.toml.
    ethnicity: tuple[tuple[str, int], ...]
    adult_language: tuple[tuple[str, int], ...]
    child_language: tuple[tuple[str, int], ...]
    # Where given names and surnames come from: "welsh", "british" or an OTHER_GIVEN key.
    names: str
    # Share of children born here who are given a British (or Welsh) name instead.
    local_child_names: float = 0.0
    # Share of adults whose limited English means they need an interpreter.
    interpreter: float = 0.0


def _other(
    code: str,
    ethnicity: tuple[tuple[str, int], ...],
    language: str,
    local_names: float,
    child_english: int = 45,
) -> Background:
    return Background(
        code=code,
        ethnicity=ethnicity,
        adult_language=((language, 90), ("en", 10)),
        child_language=((language, 100 - child_english), ("en", child_english)),
        names=code,
        local_child_names=local_names,
        interpreter=0.45,
    )


# fmt: off
BACKGROUNDS: dict[str, Background] = {
    b.code: b
    for b in (
        Background(
            "welsh", (("white_british", 97), ("white_other", 1), ("mixed_other", 1),
                      ("not_stated", 1)),
            (("cy", 100),), (("cy", 96), ("en", 4)), "welsh",
        ),
        Background(
            "british",
            (("white_british", 94), ("white_irish", 1), ("white_other", 2), ("not_stated", 2),
             ("mixed_other", 1)),
            (("en", 100),), (("en", 100),), "british",
        ),
        Background("traveller", (("white_gypsy_traveller", 100),), (("en", 100),),
                   (("en", 100),), "traveller"),
        Background("caribbean", (("black_caribbean", 90), ("mixed_white_black_caribbean", 10)),
                   (("en", 100),), (("en", 100),), "caribbean"),
        _other("polish", (("white_other", 100),), "pl", 0.25),
        _other("romanian", (("white_other", 80), ("white_roma", 20)), "ro", 0.2),
        _other("portuguese", (("white_other", 100),), "pt", 0.2),
        _other("ukrainian", (("white_other", 100),), "uk", 0.05, child_english=15),
        _other("pakistani", (("asian_pakistani", 100),), "ur", 0.05, child_english=55),
        _other("bangladeshi", (("asian_bangladeshi", 100),), "bn", 0.05, child_english=50),
        _other("indian", (("asian_indian", 100),), "pa", 0.15, child_english=65),
        _other("chinese", (("asian_chinese", 100),), "zh", 0.4, child_english=55),
        _other("arab", (("other_arab", 100),), "ar", 0.05, child_english=30),
        _other("somali", (("black_african", 100),), "so", 0.05, child_english=40),
        Background("nigerian", (("black_african", 100),), (("en", 100),), (("en", 100),),
                   "nigerian", local_child_names=0.3),
        _other("eritrean", (("black_african", 100),), "ti", 0.05, child_english=30),
        _other("kurdish", (("other_any", 100),), "ku", 0.05, child_english=30),
        _other("afghan", (("asian_other", 100),), "ps", 0.05, child_english=25),
    )
}

# How common each background is among households, by half of the county.
REGION_WEIGHTS: dict[str, tuple[tuple[str, float], ...]] = {
    NORTH: (
        ("welsh", 18), ("british", 73.5), ("polish", 2.5), ("romanian", 1.2),
        ("portuguese", 0.5), ("ukrainian", 0.8), ("traveller", 0.3), ("arab", 0.6),
        ("pakistani", 0.4), ("bangladeshi", 0.3), ("indian", 0.4), ("chinese", 0.4),
        ("nigerian", 0.3), ("somali", 0.2), ("kurdish", 0.2), ("caribbean", 0.2),
    ),
    SOUTH: (
        ("welsh", 3), ("british", 81), ("polish", 3.5), ("romanian", 2), ("portuguese", 0.7),
        ("ukrainian", 1), ("traveller", 0.6), ("arab", 1), ("pakistani", 1.5),
        ("bangladeshi", 1), ("indian", 0.8), ("chinese", 0.6), ("nigerian", 0.7),
        ("somali", 0.4), ("eritrean", 0.2), ("kurdish", 0.3), ("afghan", 0.2),
        ("caribbean", 0.5),
    ),
}

# When one parent is British and the other is not, what the children's ethnicity is recorded as.
MIXED_CHILD_ETHNICITY: dict[str, str] = {
    "caribbean": "mixed_white_black_caribbean",
    "nigerian": "mixed_white_black_african",
    "somali": "mixed_white_black_african",
    "pakistani": "mixed_white_asian",
    "indian": "mixed_white_asian",
    "bangladeshi": "mixed_white_asian",
    "chinese": "mixed_white_asian",
    "arab": "mixed_other",
    "kurdish": "mixed_other",
    "polish": "white_other",
    "romanian": "white_other",
    "portuguese": "white_other",
}
MIXED_PARTNER_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("caribbean", 3), ("nigerian", 2), ("polish", 3), ("pakistani", 1.5), ("indian", 1.5),
    ("chinese", 1), ("romanian", 1), ("portuguese", 1), ("arab", 0.7), ("bangladeshi", 0.5),
    ("somali", 0.3),
)

# VC2: the Welsh active offer. Welsh speakers are usually offered a Welsh service and take it;
# in the north most others have been offered it too.
ACTIVE_OFFER: dict[str, tuple[tuple[str, int], ...]] = {
    "cy": (("accepted", 75), ("not_offered", 15), ("declined", 10)),
    NORTH: (("not_offered", 62), ("declined", 34), ("accepted", 4)),
    SOUTH: (("not_offered", 88), ("declined", 11), ("accepted", 1)),
}
# fmt: on
