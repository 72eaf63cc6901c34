"""Procedures packs: vocabulary, controlled lists and timescales (FD4, FD7, CP1, CP5, AP6).

A deployment follows one set of published procedures: the Wales Safeguarding Procedures or
Working Together to Safeguard Children 2023 (England). Everything that differs between them
(what a plan is called, the outcomes a Gateway decision may have, how long a conference may
take to convene) lives in a TOML file under ``packs/``, never in code. Each timescale names
its source so that a practitioner can check it, and says when the figure is local practice
that the partnership may change.

Counts that mark a pattern (``rules``: three referrals about a child in twelve months are
repeat referrals, FD6) live here too, with their source, for the same reason.

A referrer's priority sets how soon the Gateway decides: each item of ``referrer_priorities``
names its timescale (``timescale = "gateway_decision_high"``, read with
:meth:`Pack.timescale_of`), and each Gateway outcome's description says what happens next.

Packs are validated strictly when loaded: an unknown unit, a missing source, a missing
required key, a priority without a decision timescale or a duplicate code raises
:class:`PackError` naming the pack, the key and the problem, so that a broken pack stops the
service at start-up rather than mis-timing a clock.
"""

from __future__ import annotations

import builtins
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

PACKS_DIR = Path(__file__).resolve().parent / "packs"
DEFAULT_PACK = "wales"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

# The subdivisions of the United Kingdom that the ``holidays`` package knows.
SUBDIVISIONS = frozenset({"ENG", "WLS", "SCT", "NIR"})

# Terms, lists and timescales that the rest of Tarian asks for by name: every pack has them.
REQUIRED_TERMS = frozenset(
    {
        "plan_name",
        "report_name",
        "reporting_duty",
        "reporter_name",
        "designated_officer",
        "safeguarding_lead",
        "board_name",
        "register_name",
        "strategy_discussion_name",
        "initial_conference_name",
        "review_conference_name",
        "core_group_name",
        "key_worker_name",
        "assessment_name",
        "section_47_enquiry_name",
        "early_help_name",
        "threshold_guide_name",
        "professional_strategy_meeting_name",
        # #20 item 9: a police referral's references and the notice considered in domestic
        # abuse (PP2).
        "public_protection_notice_name",
        "protection_notice_name",
    }
)

# Terms that pages put in a plural ("Reports", "Earlier referrals"): they need plural forms.
REQUIRED_PLURALS = frozenset({"report_name"})

REQUIRED_LIST_CODES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "gateway_outcomes": frozenset(
            {
                "no_further_action",
                "information_and_advice",
                "early_help",
                "assessment",
                "strategy_discussion",
            }
        ),
        "abuse_categories": frozenset({"neglect", "physical", "emotional", "sexual"}),
        "referrer_priorities": frozenset({"high", "medium", "standard"}),
        "enquiry_types": frozenset({"single_agency", "joint", "police_only"}),
        "allegation_outcomes": frozenset(
            {"substantiated", "unsubstantiated", "unfounded", "false", "malicious"}
        ),
        "deregistration_reasons": frozenset(),
        "levels_of_need": frozenset(),
        # #20 item 9: what a police referral was about (domestic abuse asks about a protection
        # notice, PP2) and the officer's risk assessment.
        "police_incident_types": frozenset({"domestic_abuse", "other"}),
        "police_risk_levels": frozenset(),
    }
)

REQUIRED_TIMESCALES = frozenset(
    {
        "gateway_decision",
        "gateway_decision_returned",
        "report_written_confirmation",
        "strategy_discussion",
        "icpc",
        "outline_plan",
        "first_core_group",
        "core_group_interval",
        "first_review_conference",
        "review_conference_interval",
        "continuing_assessment",
        "assessment",
        "feedback_to_referrer",
        "decisions_circulation",
        "minutes_circulation",
        "child_seen_in_enquiry",
        "allegation_report_to_designated_officer",
        "allegation_resolution_1_month",
        "allegation_resolution_3_months",
        "allegation_resolution_12_months",
        "cru_backlog",
        "return_home_interview",
        "school_notified_domestic_abuse",
    }
)

# Timescales that Tarian starts on one event only: a Gateway decision the team manager returns
# runs its own clock from the return (FD4, #20).
REQUIRED_STARTS: Mapping[str, str] = MappingProxyType(
    {"gateway_decision_returned": "decision_returned"}
)

# Counts that mark a pattern, asked for by name (FD6: repeat referrals): every pack has them.
REQUIRED_RULES = frozenset({"repeat_referrals"})

# The events that start a clock. A closed set, so that a typo in a pack is caught at load
# and each app knows which of its own times to pass as ``start``.
START_EVENTS = frozenset(
    {
        "report_received",
        "report_made_by_telephone",
        "police_referral_received",
        "gateway_decision",
        "decision_returned",
        "strategy_discussion",
        "meeting_held",
        "section_47_started",
        "initial_conference",
        "core_group_held",
        "review_conference",
        "allegation_arose",
        "allegation_reported",
        "child_returned",
        "domestic_abuse_incident",
    }
)


class PackError(ValueError):
    """A procedures pack is missing, malformed or incomplete.

    ``pack`` names the pack, ``key`` the place in it (``timescales.icpc.unit``) and
    ``problem`` what is wrong, so that the person editing the file can fix it.
    """

    def __init__(self, pack: str, key: str, problem: str) -> None:
        self.pack = pack
        self.key = key
        self.problem = problem
        where = f" at {key}" if key else ""
        super().__init__(f"Procedures pack {pack!r}{where}: {problem}")


class Unit(StrEnum):
    """How a timescale's amount is counted (see :mod:`tarian.procedures.clocks`)."""

    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


def _welsh(lang: str) -> bool:
    return lang.lower().startswith("cy")


def _in_language(en: str, cy: str | None, lang: str) -> str:
    """Welsh when asked for and present; English otherwise."""
    if cy and _welsh(lang):
        return cy
    return en


@dataclass(frozen=True)
class Duration:
    """An amount of a unit, such as a due-soon warning window."""

    amount: int
    unit: Unit


@dataclass(frozen=True)
class Term:
    """A name that differs between packs ("care and support protection plan"), with its plural
    where pages need one ("reports", "adroddiadau")."""

    key: str
    en: str
    cy: str | None = None
    en_plural: str | None = None
    cy_plural: str | None = None

    def text(self, lang: str = "en", *, plural: bool = False) -> str:
        if plural:
            return _in_language(self.en_plural or self.en, self.cy_plural or self.cy, lang)
        return _in_language(self.en, self.cy, lang)


@dataclass(frozen=True)
class ListItem:
    """One choice in a controlled list: a stable code and its labels."""

    code: str
    en: str
    cy: str | None = None
    description_en: str | None = None
    description_cy: str | None = None
    # The timescale that this choice sets, where it sets one (each referrer priority names its
    # Gateway decision timescale).
    timescale: str | None = None
    # Where the choice comes from, for lists that must say (``LISTS_WITH_SOURCES``), and
    # whether it is the partnership's own practice rather than a national source.
    source: str | None = None
    local_practice: bool = False

    def label(self, lang: str = "en") -> str:
        return _in_language(self.en, self.cy, lang)

    def description(self, lang: str = "en") -> str | None:
        if self.description_en is None:
            return None
        return _in_language(self.description_en, self.description_cy, lang)


@dataclass(frozen=True)
class Timescale:
    """A timescale from the procedures, with the section it comes from.

    ``subdivision`` is the pack's bank-holiday subdivision, copied here so that a clock can
    be computed from the timescale alone. ``repeat`` names the timescale that runs next once
    this one is met (the first core group is followed by the core group interval).
    ``target_share`` is the share of cases expected to meet it (0.8 = 80 %), where the
    procedures set one.
    """

    key: str
    en: str
    cy: str | None
    starts: str
    amount: int
    unit: Unit
    source: str
    subdivision: str
    local_practice: bool = False
    due_soon: Duration | None = None
    repeat: str | None = None
    target_share: float | None = None

    def description(self, lang: str = "en") -> str:
        return _in_language(self.en, self.cy, lang)


@dataclass(frozen=True)
class CountRule:
    """A number of events within a look-back window that marks a pattern, with its source
    (FD6: three referrals about a child within twelve months are repeat referrals). ``count``
    includes the newest event; ``within`` is counted back from it."""

    key: str
    en: str
    cy: str | None
    count: int
    within: Duration
    source: str
    local_practice: bool = False

    def description(self, lang: str = "en") -> str:
        return _in_language(self.en, self.cy, lang)


@dataclass(frozen=True, eq=False)
class Pack:
    """A loaded, validated procedures pack."""

    key: str
    title: str
    title_cy: str | None
    jurisdiction: str
    subdivision: str
    source_document: str
    citation: str
    terms: Mapping[str, Term]
    lists: Mapping[str, tuple[ListItem, ...]]
    timescales: Mapping[str, Timescale]
    rules: Mapping[str, CountRule]

    def title_in(self, lang: str = "en") -> str:
        return _in_language(self.title, self.title_cy, lang)

    def term(self, key: str, lang: str = "en", *, plural: bool = False) -> str:
        try:
            return self.terms[key].text(lang, plural=plural)
        except KeyError:
            raise KeyError(f"Procedures pack {self.key!r} has no term {key!r}") from None

    def timescale(self, key: str) -> Timescale:
        try:
            return self.timescales[key]
        except KeyError:
            raise KeyError(f"Procedures pack {self.key!r} has no timescale {key!r}") from None

    def rule(self, key: str) -> CountRule:
        try:
            return self.rules[key]
        except KeyError:
            raise KeyError(f"Procedures pack {self.key!r} has no rule {key!r}") from None

    def timescale_of(self, list_name: str, code: str) -> Timescale:
        """The timescale a list item sets: a referrer priority's decision timescale."""
        list_item = self.item(list_name, code)
        if list_item.timescale is None:
            raise KeyError(
                f"Procedures pack {self.key!r} list {list_name!r} code {code!r} sets no timescale"
            )
        return self.timescale(list_item.timescale)

    def item(self, list_name: str, code: str) -> ListItem:
        for list_item in self._items(list_name):
            if list_item.code == code:
                return list_item
        raise KeyError(f"Procedures pack {self.key!r} list {list_name!r} has no code {code!r}")

    def label(self, list_name: str, code: str, lang: str = "en") -> str:
        return self.item(list_name, code).label(lang)

    def codes(self, list_name: str) -> builtins.list[str]:
        return [list_item.code for list_item in self._items(list_name)]

    def choices(self, list_name: str, lang: str = "en") -> builtins.list[tuple[str, str]]:
        """``(code, label)`` pairs, in the pack's order, for a form's choices."""
        return [(list_item.code, list_item.label(lang)) for list_item in self._items(list_name)]

    def _items(self, list_name: str) -> tuple[ListItem, ...]:
        try:
            return self.lists[list_name]
        except KeyError:
            raise KeyError(f"Procedures pack {self.key!r} has no list {list_name!r}") from None

    # Defined last: inside the class body the name ``list`` means this method.
    def list(self, name: str) -> builtins.list[ListItem]:
        return builtins.list(self._items(name))


# Loading --------------------------------------------------------------------------------------


class _Reader:
    """Reads one pack's raw TOML data, raising :class:`PackError` with the exact place."""

    def __init__(self, pack: str) -> None:
        self.pack = pack

    def fail(self, key: str, problem: str) -> PackError:
        return PackError(self.pack, key, problem)

    def table(self, data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            raise self.fail(_join(where, key), "a table is required")
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(_join(where, key), "non-empty text is required")
        return value.strip()

    def optional_text(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        if key not in data:
            return None
        return self.text(data, key, where)

    def amount(self, data: Mapping[str, Any], key: str, where: str) -> int:
        value = data.get(key)
        # bool is an int in Python; "amount = true" is a mistake, not 1.
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(_join(where, key), "a whole number of 0 or more is required")
        return value

    def unit(self, data: Mapping[str, Any], key: str, where: str) -> Unit:
        value = data.get(key)
        try:
            return Unit(str(value))
        except ValueError:
            allowed = ", ".join(unit.value for unit in Unit)
            raise self.fail(_join(where, key), f"unit {value!r} is not one of {allowed}") from None

    def only(self, data: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(where, f"unknown field(s) {', '.join(unknown)}")

    def name(self, value: str, where: str) -> str:
        if not _NAME.match(value):
            raise self.fail(where, f"{value!r} must be lower_snake_case")
        return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


_TOP_LEVEL = frozenset({"pack", "terms", "lists", "timescales", "rules"})
_PACK_FIELDS = frozenset(
    {
        "key",
        "title",
        "title_cy",
        "jurisdiction",
        "subdivision",
        "source_document",
        "citation",
    }
)
_TERM_FIELDS = frozenset({"en", "cy", "en_plural", "cy_plural"})
_ITEM_FIELDS = frozenset(
    {
        "code",
        "en",
        "cy",
        "description_en",
        "description_cy",
        "timescale",
        "source",
        "local_practice",
    }
)
# Lists whose every item names its source (or says it is local practice, and why), as a
# timescale does: a police referral's incident types and risk levels (#20 item 9) are checked
# against the force's own and national risk models, not made up here.
LISTS_WITH_SOURCES = frozenset({"police_incident_types", "police_risk_levels"})
# Lists whose every item names the timescale it sets, and the event that timescale starts on:
# a referrer's priority sets how soon the Gateway decides (FD1, FD4).
LISTS_WITH_TIMESCALES: Mapping[str, str] = MappingProxyType(
    {"referrer_priorities": "report_received"}
)
# Lists whose every item is described: a Gateway outcome's description says what happens next,
# and the referrer's feedback quotes it (FD5).
LISTS_WITH_DESCRIPTIONS = frozenset({"gateway_outcomes"})
_DURATION_FIELDS = frozenset({"amount", "unit"})
_RULE_FIELDS = frozenset({"en", "cy", "count", "within", "source", "local_practice"})
# A look-back window is whole days or months: a pattern over working days or hours is not one
# the procedures describe.
_WINDOW_UNITS = frozenset({Unit.CALENDAR_DAYS, Unit.MONTHS})
_TIMESCALE_FIELDS = frozenset(
    {
        "en",
        "cy",
        "starts",
        "amount",
        "unit",
        "source",
        "local_practice",
        "due_soon",
        "repeat",
        "target_share",
    }
)


def parse_pack(data: Mapping[str, Any], name: str) -> Pack:
    """Validate raw pack data (as read from TOML) and build a :class:`Pack`."""
    reader = _Reader(name)
    reader.only(data, _TOP_LEVEL, "")

    meta = reader.table(data, "pack", "")
    reader.only(meta, _PACK_FIELDS, "pack")
    key = reader.name(reader.text(meta, "key", "pack"), "pack.key")
    subdivision = reader.text(meta, "subdivision", "pack")
    if subdivision not in SUBDIVISIONS:
        raise reader.fail(
            "pack.subdivision",
            f"{subdivision!r} is not one of {', '.join(sorted(SUBDIVISIONS))}",
        )

    lists = _parse_lists(reader, reader.table(data, "lists", ""))
    timescales = _parse_timescales(reader, reader.table(data, "timescales", ""), subdivision)
    _check_list_timescales(reader, lists, timescales)
    return Pack(
        key=key,
        title=reader.text(meta, "title", "pack"),
        title_cy=reader.optional_text(meta, "title_cy", "pack"),
        jurisdiction=reader.text(meta, "jurisdiction", "pack"),
        subdivision=subdivision,
        source_document=reader.text(meta, "source_document", "pack"),
        citation=reader.text(meta, "citation", "pack"),
        terms=MappingProxyType(_parse_terms(reader, reader.table(data, "terms", ""))),
        lists=MappingProxyType(lists),
        timescales=MappingProxyType(timescales),
        rules=MappingProxyType(
            _parse_rules(reader, reader.table(data, "rules", "") if "rules" in data else {})
        ),
    )


def _parse_terms(reader: _Reader, raw: Mapping[str, Any]) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for key, value in raw.items():
        where = f"terms.{reader.name(key, 'terms')}"
        if not isinstance(value, dict):
            raise reader.fail(where, "a table with 'en' (and usually 'cy') is required")
        reader.only(value, _TERM_FIELDS, where)
        terms[key] = Term(
            key=key,
            en=reader.text(value, "en", where),
            cy=reader.optional_text(value, "cy", where),
            en_plural=reader.optional_text(value, "en_plural", where),
            cy_plural=reader.optional_text(value, "cy_plural", where),
        )
        if terms[key].cy_plural is not None and (terms[key].cy is None or terms[key].en_plural
                                                  is None):
            raise reader.fail(where, "'cy_plural' needs 'cy' and 'en_plural'")
    missing = sorted(REQUIRED_TERMS - set(terms))
    if missing:
        raise reader.fail("terms", f"required term(s) missing: {', '.join(missing)}")
    for key in sorted(REQUIRED_PLURALS):
        term = terms[key]
        if term.en_plural is None or (term.cy is not None and term.cy_plural is None):
            raise reader.fail(f"terms.{key}", "a plural ('en_plural', 'cy_plural') is required")
    return terms


def _parse_lists(reader: _Reader, raw: Mapping[str, Any]) -> dict[str, tuple[ListItem, ...]]:
    lists: dict[str, tuple[ListItem, ...]] = {}
    for list_name, entries in raw.items():
        where = f"lists.{reader.name(list_name, 'lists')}"
        if not isinstance(entries, list) or not entries:
            raise reader.fail(where, "a non-empty array of items is required")
        items: builtins.list[ListItem] = []
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            item_where = f"{where}[{index}]"
            if not isinstance(entry, dict):
                raise reader.fail(item_where, "each item must be a table with code, en, cy")
            reader.only(entry, _ITEM_FIELDS, item_where)
            code = reader.name(reader.text(entry, "code", item_where), f"{item_where}.code")
            if code in seen:
                raise reader.fail(where, f"duplicate code {code!r}")
            seen.add(code)
            items.append(
                ListItem(
                    code=code,
                    en=reader.text(entry, "en", item_where),
                    cy=reader.optional_text(entry, "cy", item_where),
                    description_en=reader.optional_text(entry, "description_en", item_where),
                    description_cy=reader.optional_text(entry, "description_cy", item_where),
                    timescale=reader.optional_text(entry, "timescale", item_where),
                    source=reader.optional_text(entry, "source", item_where),
                    local_practice=_parse_flag(reader, entry, "local_practice", item_where),
                )
            )
        if list_name in LISTS_WITH_DESCRIPTIONS:
            for index, list_item in enumerate(items):
                if list_item.description_en is None:
                    raise reader.fail(
                        f"{where}[{index}].description_en",
                        "each item of this list must say what it means (what happens next)",
                    )
        if list_name in LISTS_WITH_SOURCES:
            for index, list_item in enumerate(items):
                if list_item.source is None:
                    raise reader.fail(
                        f"{where}[{index}].source",
                        "each item of this list must name its source (or, with "
                        "local_practice = true, whose practice it is)",
                    )
        lists[list_name] = tuple(items)

    for list_name, required_codes in REQUIRED_LIST_CODES.items():
        if list_name not in lists:
            raise reader.fail("lists", f"required list {list_name!r} is missing")
        missing = sorted(required_codes - {item.code for item in lists[list_name]})
        if missing:
            raise reader.fail(
                f"lists.{list_name}", f"required code(s) missing: {', '.join(missing)}"
            )
    return lists


def _parse_timescales(
    reader: _Reader, raw: Mapping[str, Any], subdivision: str
) -> dict[str, Timescale]:
    timescales: dict[str, Timescale] = {}
    for key, value in raw.items():
        where = f"timescales.{reader.name(key, 'timescales')}"
        if not isinstance(value, dict):
            raise reader.fail(where, "a table is required")
        reader.only(value, _TIMESCALE_FIELDS, where)
        timescales[key] = Timescale(
            key=key,
            en=reader.text(value, "en", where),
            cy=reader.optional_text(value, "cy", where),
            starts=_parse_starts(reader, value, where),
            amount=reader.amount(value, "amount", where),
            unit=reader.unit(value, "unit", where),
            source=reader.text(value, "source", where),
            subdivision=subdivision,
            local_practice=_parse_flag(reader, value, "local_practice", where),
            due_soon=_parse_due_soon(reader, value, where),
            repeat=reader.optional_text(value, "repeat", where),
            target_share=_parse_share(reader, value, where),
        )

    missing = sorted(REQUIRED_TIMESCALES - set(timescales))
    if missing:
        raise reader.fail("timescales", f"required timescale(s) missing: {', '.join(missing)}")
    for key, starts in REQUIRED_STARTS.items():
        if timescales[key].starts != starts:
            raise reader.fail(
                f"timescales.{key}.starts", f"{timescales[key].starts!r} must be {starts!r}"
            )
    for timescale in timescales.values():
        if timescale.repeat is not None and timescale.repeat not in timescales:
            raise reader.fail(
                f"timescales.{timescale.key}.repeat",
                f"{timescale.repeat!r} is not a timescale in this pack",
            )
    return timescales


def _parse_rules(reader: _Reader, raw: Mapping[str, Any]) -> dict[str, CountRule]:
    rules: dict[str, CountRule] = {}
    for key, value in raw.items():
        where = f"rules.{reader.name(key, 'rules')}"
        if not isinstance(value, dict):
            raise reader.fail(where, "a table is required")
        reader.only(value, _RULE_FIELDS, where)
        count = reader.amount(value, "count", where)
        if count < 1:
            raise reader.fail(f"{where}.count", "a whole number of 1 or more is required")
        within = reader.table(value, "within", where)
        within_where = f"{where}.within"
        reader.only(within, _DURATION_FIELDS, within_where)
        amount = reader.amount(within, "amount", within_where)
        unit = reader.unit(within, "unit", within_where)
        if amount < 1 or unit not in _WINDOW_UNITS:
            allowed = ", ".join(sorted(_WINDOW_UNITS))
            raise reader.fail(
                within_where, f"a window of 1 or more {allowed} is required"
            )
        rules[key] = CountRule(
            key=key,
            en=reader.text(value, "en", where),
            cy=reader.optional_text(value, "cy", where),
            count=count,
            within=Duration(amount=amount, unit=unit),
            source=reader.text(value, "source", where),
            local_practice=_parse_flag(reader, value, "local_practice", where),
        )
    missing = sorted(REQUIRED_RULES - set(rules))
    if missing:
        raise reader.fail("rules", f"required rule(s) missing: {', '.join(missing)}")
    return rules


def _check_list_timescales(
    reader: _Reader,
    lists: Mapping[str, tuple[ListItem, ...]],
    timescales: Mapping[str, Timescale],
) -> None:
    """Each item's ``timescale`` is one of the pack's; in the lists that need one (referrer
    priorities) every item has one, starting on the list's event (``report_received``)."""
    for list_name, items in lists.items():
        starts = LISTS_WITH_TIMESCALES.get(list_name)
        for index, list_item in enumerate(items):
            where = f"lists.{list_name}[{index}].timescale"
            if list_item.timescale is None:
                if starts is not None:
                    raise reader.fail(
                        where, f"each item of {list_name} must name the timescale it sets"
                    )
                continue
            timescale = timescales.get(list_item.timescale)
            if timescale is None:
                raise reader.fail(where, f"{list_item.timescale!r} is not a timescale in this pack")
            if starts is not None and timescale.starts != starts:
                raise reader.fail(
                    where,
                    f"{list_item.timescale!r} starts on {timescale.starts!r}, not {starts!r}",
                )


def _parse_starts(reader: _Reader, value: Mapping[str, Any], where: str) -> str:
    starts = reader.text(value, "starts", where)
    if starts not in START_EVENTS:
        raise reader.fail(
            f"{where}.starts",
            f"{starts!r} is not a known starting event ({', '.join(sorted(START_EVENTS))})",
        )
    return starts


def _parse_flag(reader: _Reader, value: Mapping[str, Any], key: str, where: str) -> bool:
    flag = value.get(key, False)
    if not isinstance(flag, bool):
        raise reader.fail(f"{where}.{key}", "true or false is required")
    return flag


def _parse_due_soon(reader: _Reader, value: Mapping[str, Any], where: str) -> Duration | None:
    if "due_soon" not in value:
        return None
    due_soon = reader.table(value, "due_soon", where)
    due_soon_where = f"{where}.due_soon"
    reader.only(due_soon, _DURATION_FIELDS, due_soon_where)
    return Duration(
        amount=reader.amount(due_soon, "amount", due_soon_where),
        unit=reader.unit(due_soon, "unit", due_soon_where),
    )


def _parse_share(reader: _Reader, value: Mapping[str, Any], where: str) -> float | None:
    if "target_share" not in value:
        return None
    share = value["target_share"]
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        raise reader.fail(f"{where}.target_share", "a share above 0 and at most 1 is required")
    return float(share)


def load_pack_file(path: Path, name: str | None = None) -> Pack:
    """Load and validate the pack in ``path``; ``name`` (default: the file's stem) names it
    in error messages and, when given, must match the pack's own ``key``."""
    label = name or path.stem
    try:
        with path.open("rb") as pack_file:
            data = tomllib.load(pack_file)
    except FileNotFoundError:
        raise PackError(label, "", f"no pack file at {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise PackError(label, "", f"not valid TOML ({error})") from None
    pack = parse_pack(data, label)
    if name is not None and pack.key != name:
        raise PackError(label, "pack.key", f"key {pack.key!r} does not match the file name")
    return pack


def available_packs() -> builtins.list[str]:
    """The names of the packs shipped with Tarian."""
    return sorted(path.stem for path in PACKS_DIR.glob("*.toml"))


@lru_cache(maxsize=8)
def load_pack(name: str) -> Pack:
    """The shipped pack called ``name`` (``wales`` or ``england``), loaded once."""
    if not _NAME.match(name) or not (PACKS_DIR / f"{name}.toml").is_file():
        raise PackError(
            name, "", f"no such procedures pack (available: {', '.join(available_packs())})"
        )
    return load_pack_file(PACKS_DIR / f"{name}.toml", name)


def clear_cache() -> None:
    """Forget loaded packs (for tests that change a pack or the setting)."""
    load_pack.cache_clear()


def current_pack() -> Pack:
    """The pack this deployment follows: ``settings.TARIAN_PROCEDURES`` (default ``wales``)."""
    from django.conf import settings

    name = getattr(settings, "TARIAN_PROCEDURES", DEFAULT_PACK)
    if not isinstance(name, str):
        raise PackError(repr(name), "", "settings.TARIAN_PROCEDURES must be a pack name")
    return load_pack(name.strip().lower())
