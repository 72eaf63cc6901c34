"""Retention rules as data, and the report of what has passed its retention date.

issue: security and reliability baseline (UK GDPR Article 5(1)(e) storage limitation; NHS DSPT
records management; OWASP ASVS L2 V8.3 data retention).

The rules live in ``retention.toml`` beside this module, each saying which kind of record it
covers, how long to keep it, the date that period counts from, what should happen next
(``review``, ``destroy`` or ``anonymise``), the guidance it follows (``source``) and whether the
figure is a local decision. Rules are validated strictly when loaded: an unknown key, record
kind, date field or action, a bad duration or a missing source raises ``RetentionRuleError``
naming the rule and the problem.

Tarian only reports for now: :func:`retention_report` counts the records past their date and
changes nothing. The record kinds Tarian knows are listed in :data:`RECORD_KINDS`; a rule may
only count from the date fields listed there.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import Count, Min, Q
from django.utils import timezone

DEFAULT_RULES = Path(__file__).resolve().parent / "retention.toml"

ACTIONS: Mapping[str, str] = MappingProxyType(
    {
        "review": "would be listed for a person to review",
        "destroy": "would be destroyed",
        "anonymise": "would be anonymised",
    }
)
RULE_KEYS = frozenset(
    {"name", "record_kind", "keep_for", "counts_from", "action", "source", "local_decision", "note"}
)
REQUIRED_KEYS = ("name", "record_kind", "keep_for", "counts_from", "action", "source")
MAX_YEARS = 150

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_DURATION = re.compile(r"^(\d+) (year|month|week|day)s?$")


Moment = TypeVar("Moment", dt.date, dt.datetime)


class RetentionRuleError(Exception):
    """A rules file that cannot be used: the message names each rule and problem."""


@dataclass(frozen=True)
class RecordKind:
    model: str
    description: str
    date_fields: frozenset[str]
    only: Q

    def queryset(self) -> models.QuerySet[Any]:
        return apps.get_model(self.model)._default_manager.filter(self.only)


RECORD_KINDS: Mapping[str, RecordKind] = MappingProxyType(
    {
        "child": RecordKind(
            "people.Person",
            "children and unborn babies",
            frozenset({"date_of_birth", "created_at", "modified_at"}),
            Q(kind__in=["child", "unborn"]),
        ),
        "adult": RecordKind(
            "people.Person",
            "adults",
            frozenset({"date_of_birth", "created_at", "modified_at"}),
            Q(kind="adult"),
        ),
        "involvement_ended": RecordKind(
            "people.Involvement",
            "agency involvements that have ended",
            frozenset({"end_date"}),
            Q(end_date__isnull=False),
        ),
        "access_event": RecordKind(
            "audit.AccessEvent",
            "audit log entries (who viewed or changed what)",
            frozenset({"at"}),
            Q(),
        ),
        "record_version": RecordKind(
            "audit.RecordVersion", "earlier versions of records", frozenset({"changed_at"}), Q()
        ),
        "api_token": RecordKind(
            "agencies.ApiToken", "API tokens", frozenset({"expires_at", "revoked_at"}), Q()
        ),
        "login_failure": RecordKind(
            "axes.AccessFailureLog", "failed log-ins", frozenset({"attempt_time"}), Q()
        ),
        "login_attempt": RecordKind(
            "axes.AccessAttempt", "log-in lockout counters", frozenset({"attempt_time"}), Q()
        ),
        "login_log": RecordKind(
            "axes.AccessLog", "successful log-ins and log-outs", frozenset({"attempt_time"}), Q()
        ),
    }
)


@dataclass(frozen=True)
class Duration:
    """A retention period in whole calendar units: ``25 years``, ``6 months``, ``90 days``."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.match(text.strip())
        if match is None:
            raise ValueError(
                f"keep_for {text!r} is not a duration such as '25 years', '6 months', "
                "'2 weeks' or '90 days'"
            )
        amount, unit = int(match.group(1)), match.group(2)
        if amount == 0:
            raise ValueError(f"keep_for {text!r} must be longer than nothing")
        days_per_unit = {"year": 365, "month": 30, "week": 7, "day": 1}[unit]
        if amount * days_per_unit > MAX_YEARS * 365:
            raise ValueError(f"keep_for {text!r} is longer than {MAX_YEARS} years")
        return cls(amount, unit)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}{'s' if self.amount != 1 else ''}"

    def before(self, moment: Moment) -> Moment:
        """The moment this long before ``moment``; the 31st becomes the month's last day.

        Rounding the day down makes the cut-off earlier, so a record is never reported as due
        before its full period has run (someone born on 29 February is 25 on 1 March).
        """
        if self.unit in {"week", "day"}:
            return moment - dt.timedelta(days=self.amount * (7 if self.unit == "week" else 1))
        months = self.amount * (12 if self.unit == "year" else 1)
        index = moment.year * 12 + (moment.month - 1) - months
        year, month = divmod(index, 12)
        month += 1
        next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
        last_day = (next_month - dt.timedelta(days=1)).day
        return moment.replace(year=year, month=month, day=min(moment.day, last_day))


@dataclass(frozen=True)
class RetentionRule:
    name: str
    record_kind: str
    keep_for: Duration
    counts_from: str
    action: str
    source: str
    local_decision: bool = False
    note: str = ""

    @property
    def kind(self) -> RecordKind:
        return RECORD_KINDS[self.record_kind]


def load_rules(path: Path = DEFAULT_RULES) -> tuple[RetentionRule, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RetentionRuleError(f"{path}: cannot be read ({exc.strerror})") from exc
    return parse_rules(text, origin=str(path))


def parse_rules(text: str, *, origin: str = "retention rules") -> tuple[RetentionRule, ...]:
    """Validate a rules file; every problem of every rule is named in one error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RetentionRuleError(f"{origin}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - {"rule"})
    if unknown:
        raise RetentionRuleError(
            f"{origin}: unknown top-level keys {', '.join(unknown)}; rules are [[rule]] tables"
        )
    tables = data.get("rule", [])
    if not isinstance(tables, list) or not tables:
        raise RetentionRuleError(f"{origin}: there are no [[rule]] tables")
    rules: list[RetentionRule] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, start=1):
        label = f"rule {number}"
        if isinstance(table, dict) and "name" in table:
            label += f" ({table['name']!r})"
        rule, found = _parse_rule(table)
        if rule is not None and rule.name in seen:
            found.append(f"the name {rule.name!r} is used by an earlier rule")
        problems += [f"{origin}: {label}: {problem}" for problem in found]
        if rule is not None and not found:
            seen.add(rule.name)
            rules.append(rule)
    if problems:
        raise RetentionRuleError("\n".join(problems))
    return tuple(rules)


def _parse_rule(table: object) -> tuple[RetentionRule | None, list[str]]:
    if not isinstance(table, dict):
        return None, ["is not a table"]
    problems = [f"unknown key {key!r}" for key in sorted(set(table) - RULE_KEYS)]
    problems += [f"{key} is missing" for key in REQUIRED_KEYS if key not in table]
    problems += [
        f"{key} must be text"
        for key in (*REQUIRED_KEYS, "note")
        if key in table and not isinstance(table[key], str)
    ]
    if "local_decision" in table and not isinstance(table["local_decision"], bool):
        problems.append("local_decision must be true or false")
    if problems:
        return None, problems
    if not _NAME.match(table["name"]):
        problems.append("name must be lower case letters, digits and underscores")
    kind = RECORD_KINDS.get(table["record_kind"])
    if kind is None:
        problems.append(
            f"unknown record kind {table['record_kind']!r}; "
            f"known kinds: {', '.join(sorted(RECORD_KINDS))}"
        )
    elif table["counts_from"] not in kind.date_fields:
        problems.append(
            f"counts_from {table['counts_from']!r} is not a date of {table['record_kind']}; "
            f"use one of {', '.join(sorted(kind.date_fields))}"
        )
    if table["action"] not in ACTIONS:
        problems.append(f"unknown action {table['action']!r}; use one of {', '.join(ACTIONS)}")
    if not table["source"].strip():
        problems.append("source must say which guidance the period follows")
    try:
        keep_for = Duration.parse(table["keep_for"])
    except ValueError as exc:
        problems.append(str(exc))
    if problems:
        return None, problems
    rule = RetentionRule(
        name=table["name"],
        record_kind=table["record_kind"],
        keep_for=keep_for,
        counts_from=table["counts_from"],
        action=table["action"],
        source=" ".join(table["source"].split()),
        local_decision=table.get("local_decision", False),
        note=" ".join(table.get("note", "").split()),
    )
    return rule, []


@dataclass(frozen=True)
class RuleReport:
    """How many records one rule finds past their retention date on a given day."""

    rule: RetentionRule
    cutoff: dt.date | dt.datetime
    past_retention: int
    oldest: dt.date | dt.datetime | None
    undated: int
    total: int

    @property
    def would_happen(self) -> str:
        return f"{self.past_retention} {self.rule.kind.description} {ACTIONS[self.rule.action]}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.rule.name,
            "record_kind": self.rule.record_kind,
            "keep_for": str(self.rule.keep_for),
            "counts_from": self.rule.counts_from,
            "action": self.rule.action,
            "local_decision": self.rule.local_decision,
            "source": self.rule.source,
            "note": self.rule.note,
            "cutoff": self.cutoff.isoformat(),
            "past_retention": self.past_retention,
            "oldest": self.oldest.isoformat() if self.oldest is not None else None,
            "undated": self.undated,
            "total": self.total,
            "would_happen": self.would_happen,
        }


def retention_report(rules: tuple[RetentionRule, ...], *, now: dt.datetime) -> list[RuleReport]:
    """Count, per rule, the records whose retention date is on or before ``now``.

    A record is past retention once ``counts_from + keep_for`` has arrived: a child's record
    kept "25 years from date of birth" is due on the 25th birthday. Dates (rather than times)
    are compared in the site's time zone. Nothing is changed.
    """
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    today = timezone.localdate(now)
    reports = []
    for rule in rules:
        queryset = rule.kind.queryset()
        field = queryset.model._meta.get_field(rule.counts_from)
        cutoff: dt.date | dt.datetime
        if isinstance(field, models.DateTimeField):
            cutoff = rule.keep_for.before(now)
        else:
            cutoff = rule.keep_for.before(today)
        totals = queryset.aggregate(
            total=Count("pk"),
            undated=Count("pk", filter=Q(**{f"{rule.counts_from}__isnull": True})),
            past=Count("pk", filter=Q(**{f"{rule.counts_from}__lte": cutoff})),
            oldest=Min(rule.counts_from, filter=Q(**{f"{rule.counts_from}__lte": cutoff})),
        )
        reports.append(
            RuleReport(
                rule=rule,
                cutoff=cutoff,
                past_retention=totals["past"],
                oldest=totals["oldest"],
                undated=totals["undated"],
                total=totals["total"],
            )
        )
    return reports
