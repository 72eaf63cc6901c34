"""Match weights (FD6): for each field and comparison level, the probability of that level
among pairs that are the same person (``m``) and among pairs that are not (``u``).

Stored as a versioned JSON file that says when and on what data the weights were estimated
(``tarian matching train``); loaded once per process. ``default_weights.json`` ships with
Tarian, estimated on synthetic data, so a new install matches sensibly from the first day.
``TARIAN_MATCH_WEIGHTS`` points at a trained file instead.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

DEFAULT_FILE = Path(__file__).with_name("default_weights.json")
FORMAT_VERSION = 1

# The comparison levels of each field, most alike first ("missing" carries no weight).
LEVELS: dict[str, tuple[str, ...]] = {
    "nhs_number": ("exact", "different"),
    "given_name": ("exact", "equivalent", "middle", "similar", "sound", "different"),
    "family_name": ("exact", "part", "equivalent", "similar", "sound", "different"),
    "date_of_birth": ("exact", "swapped", "one_day", "typo", "near", "different"),
    "postcode": ("exact", "past", "sector", "district", "different"),
}
# Levels added since format 1 began: a weights file trained before takes them from the
# shipped defaults (and says so in its notes) rather than being refused.
ADDED_LEVELS = frozenset({("given_name", "middle")})
# Fields whose exact agreement is weighed by how common the value is (term frequency).
TERM_FREQUENCY_FIELDS = ("given_name", "family_name")


@dataclass
class Weights:
    m: dict[str, dict[str, float]]
    u: dict[str, dict[str, float]]
    known_share: float = 0.88  # of queries, the share about someone already on Tarian
    # Households: people sharing a surname and a postcode are not independent strangers. On
    # average this many people share both with a person; and among them, this share also
    # shares a date of birth (twins).
    household_size: float = 3.0
    twin_share: float = 0.03
    # Of the people on the register, the share that have a duplicate record (de-duplication).
    duplicate_share: float = 0.02
    trained_at: str = ""
    trained_on: str = ""
    pairs: int = 0
    iterations: int = 0
    notes: list[str] = field(default_factory=list)

    def bayes_factor(self, field_name: str, level: str) -> float:
        return self.m[field_name][level] / self.u[field_name][level]

    def weight(self, field_name: str, level: str) -> float:
        return math.log2(self.bayes_factor(field_name, level))

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "trained_at": self.trained_at,
            "trained_on": self.trained_on,
            "pairs": self.pairs,
            "iterations": self.iterations,
            "known_share": self.known_share,
            "household_size": self.household_size,
            "twin_share": self.twin_share,
            "duplicate_share": self.duplicate_share,
            "notes": self.notes,
            "fields": {
                name: {level: [self.m[name][level], self.u[name][level]] for level in levels}
                for name, levels in LEVELS.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Weights:
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"match weights: format {data.get('format')!r} is not supported")
        m: dict[str, dict[str, float]] = {}
        u: dict[str, dict[str, float]] = {}
        notes = list(data.get("notes", []))
        for name, levels in LEVELS.items():
            given = dict(data["fields"][name])
            missing = set(levels) - set(given)
            added = {level for level in missing if (name, level) in ADDED_LEVELS}
            if missing - added:
                raise ValueError(f"match weights: {name} lacks levels {sorted(missing - added)}")
            if added:
                shipped = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))["fields"][name]
                for level in sorted(added):
                    given[level] = shipped[level]
                    notes.append(f"{name}/{level}: the shipped weights (added after training)")
            m[name] = {level: float(given[level][0]) for level in levels}
            u[name] = {level: float(given[level][1]) for level in levels}
            for level in levels:
                if not (0 < m[name][level] <= 1 and 0 < u[name][level] <= 1):
                    raise ValueError(f"match weights: {name}/{level} must be in (0, 1]")
        return cls(
            m=m,
            u=u,
            known_share=float(data.get("known_share", 0.88)),
            household_size=float(data.get("household_size", 3.0)),
            twin_share=float(data.get("twin_share", 0.03)),
            duplicate_share=float(data.get("duplicate_share", 0.02)),
            trained_at=str(data.get("trained_at", "")),
            trained_on=str(data.get("trained_on", "")),
            pairs=int(data.get("pairs", 0)),
            iterations=int(data.get("iterations", 0)),
            notes=notes,
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_json(), indent=2, ensure_ascii=False) + "\n")


def load_weights(path: Path) -> Weights:
    return Weights.from_json(json.loads(path.read_text(encoding="utf-8")))


def weights_path() -> Path:
    """``TARIAN_MATCH_WEIGHTS``; else weights trained here (``<data dir>/match-weights.json``);
    else the shipped defaults."""
    configured = getattr(settings, "TARIAN_MATCH_WEIGHTS", "")
    if configured:
        return Path(configured)
    trained = Path(settings.DATA_DIR) / "match-weights.json"
    return trained if trained.exists() else DEFAULT_FILE


@cache
def current_weights() -> Weights:
    """The weights in use (read once per process; ``reload_weights`` after training)."""
    return load_weights(weights_path())


def reload_weights() -> Weights:
    current_weights.cache_clear()
    return current_weights()
