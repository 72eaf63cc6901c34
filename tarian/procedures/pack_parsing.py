"""Reading a procedures pack's TOML strictly (``tarian.procedures.packs`` holds what a pack
is; this module, how one is read and checked). Every problem raises :class:`PackError`
naming the pack, the key and what is wrong, so that a broken pack stops the service at
start-up rather than mis-timing a clock."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from tarian.procedures.packs import (
    _NAME,
    REQUIRED_LIST_CODES,
    REQUIRED_PLURALS,
    REQUIRED_RULES,
    REQUIRED_STARTS,
    REQUIRED_TERMS,
    REQUIRED_TIMESCALES,
    START_EVENTS,
    SUBDIVISIONS,
    CountRule,
    Duration,
    ListItem,
    Pack,
    PackError,
    Term,
    Timescale,
    Unit,
)


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
        "proposes",
    }
)
# Lists whose every item names its source (or says it is local practice, and why), as a
# timescale does: a police referral's incident types and risk levels (#20 item 9) are checked
# against the force's own and national risk models, not made up here.
LISTS_WITH_SOURCES = frozenset(
    {"police_incident_types", "police_risk_levels", "joint_protocol"}
)
# Lists whose every item names the timescale it sets, and the event that timescale starts on:
# a referrer's priority sets how soon the Gateway decides (FD1, FD4); a professional challenge's
# tier how soon it is resolved there (PC1).
LISTS_WITH_TIMESCALES: Mapping[str, str] = MappingProxyType(
    {"referrer_priorities": "report_received", "challenge_tiers": "challenge_tier_reached"}
)
# Lists whose items each run their own timescale: a challenge's tier clock is a row per tier, and
# two tiers sharing one would read as the same clock run twice.
LISTS_WITH_DISTINCT_TIMESCALES = frozenset({"challenge_tiers"})
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
                    proposes=reader.optional_text(entry, "proposes", item_where),
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

    _check_joint_protocol(reader, lists)
    for list_name, required_codes in REQUIRED_LIST_CODES.items():
        if list_name not in lists:
            raise reader.fail("lists", f"required list {list_name!r} is missing")
        missing = sorted(required_codes - {item.code for item in lists[list_name]})
        if missing:
            raise reader.fail(
                f"lists.{list_name}", f"required code(s) missing: {', '.join(missing)}"
            )
    return lists


def _check_joint_protocol(
    reader: _Reader, lists: Mapping[str, tuple[ListItem, ...]]
) -> None:
    """EQ1: the joint protocol's table proposes an enquiry type for each category of concern
    (and ``unspecified`` for an enquiry started without one): every category, and each item
    proposes one of the pack's enquiry types."""
    if "joint_protocol" not in lists:
        return
    types = {item.code for item in lists.get("enquiry_types", ())}
    categories = {item.code for item in lists.get("abuse_categories", ())} | {"unspecified"}
    codes = set()
    for index, item in enumerate(lists["joint_protocol"]):
        where = f"lists.joint_protocol[{index}]"
        if item.code not in categories:
            raise reader.fail(f"{where}.code", "must be an abuse category or 'unspecified'")
        if item.proposes not in types:
            raise reader.fail(f"{where}.proposes", "must be one of the pack's enquiry types")
        codes.add(item.code)
    missing = sorted(categories - codes)
    if missing:
        raise reader.fail("lists.joint_protocol", f"no proposal for: {', '.join(missing)}")


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
    priorities, challenge tiers) every item has one, starting on the list's event
    (``report_received``, ``challenge_tier_reached``); a challenge's tiers each have their own."""
    for list_name, items in lists.items():
        starts = LISTS_WITH_TIMESCALES.get(list_name)
        seen: dict[str, int] = {}
        for index, list_item in enumerate(items):
            if list_name in LISTS_WITH_DISTINCT_TIMESCALES and list_item.timescale is not None:
                if list_item.timescale in seen:
                    raise reader.fail(
                        f"lists.{list_name}[{index}].timescale",
                        f"{list_item.timescale!r} is already the timescale of item "
                        f"{seen[list_item.timescale]}: each item runs its own",
                    )
                seen[list_item.timescale] = index
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
