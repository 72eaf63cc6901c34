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
Likewise each tier of ``challenge_tiers`` (PC1), in order from tier 1, names the timescale it
must be resolved in, each its own.

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
        # Issue 21: the meeting mechanism's kinds, and what a strategy meeting decides (the
        # codes partner systems send, API-CONTRACT.md).
        "meeting_kinds": frozenset(
            {"strategy_discussion", "strategy_meeting", "review_strategy_meeting"}
        ),
        "strategy_decisions": frozenset(
            {"section_47", "no_further_action", "further_strategy_meeting"}
        ),
        "enquiry_outcomes": frozenset(
            {"concerns_substantiated", "concerns_not_substantiated"}
        ),
        "joint_protocol": frozenset({"unspecified"}),
        "allegation_outcomes": frozenset(
            {"substantiated", "unsubstantiated", "unfounded", "false", "malicious"}
        ),
        "deregistration_reasons": frozenset(),
        "levels_of_need": frozenset(),
        # #20 item 9: what a police referral was about (domestic abuse asks about a protection
        # notice, PP2) and the officer's risk assessment.
        "police_incident_types": frozenset({"domestic_abuse", "other"}),
        "police_risk_levels": frozenset(),
        # PC1 (issue 21): the tiers a professional challenge escalates through, in order.
        "challenge_tiers": frozenset(),
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
        # PC1: a professional challenge reaches a tier (raised at tier 1, or escalated).
        "challenge_tier_reached",
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
    # The joint protocol (EQ1): the enquiry type this category of concern proposes.
    proposes: str | None = None

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
    from tarian.procedures.pack_parsing import parse_pack  # it reads into this module's types

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
