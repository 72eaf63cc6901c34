"""Controlled lists for the shared record (VC2), read from ``lists.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_FILE = Path(__file__).with_name("lists.toml")


@dataclass(frozen=True)
class Entry:
    code: str
    en: str
    cy: str

    def label(self, language: str = "en") -> str:
        return self.cy if language == "cy" and self.cy else self.en


@cache
def _lists() -> dict[str, tuple[Entry, ...]]:
    data = tomllib.loads(_FILE.read_text(encoding="utf-8"))
    out: dict[str, tuple[Entry, ...]] = {}
    for name, items in data.items():
        entries = tuple(Entry(i["code"], i["en"], i.get("cy", "")) for i in items)
        codes = [e.code for e in entries]
        if len(codes) != len(set(codes)):
            raise ValueError(f"{_FILE.name}: list {name!r} has duplicate codes")
        out[name] = entries
    return out


def entries(name: str) -> tuple[Entry, ...]:
    return _lists()[name]


def codes(name: str) -> frozenset[str]:
    return frozenset(e.code for e in entries(name))


def label(name: str, code: str, language: str = "en") -> str:
    for entry in entries(name):
        if entry.code == code:
            return entry.label(language)
    return code


def choices(name: str, language: str = "en") -> list[tuple[str, str]]:
    return [(e.code, e.label(language)) for e in entries(name)]


def end_reason(text: str, language: str = "en") -> str:
    """Why an involvement ended, for a reader of ``language`` (#20 item 11): one of the
    standard reasons (``involvement_end_reason``, kept in English or by its code) in that
    language; anything else as it was written."""
    wanted = " ".join(text.split()).casefold()
    for entry in entries("involvement_end_reason"):
        if wanted in (entry.code, entry.en.casefold()):
            return entry.label(language)
    return text
