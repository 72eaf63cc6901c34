"""Retention rules as data, and the report of what is past its date (UK GDPR Art. 5(1)(e)).

Every count is made with ``now`` passed in, never the wall clock.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessFailureLog
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models

from tarian.audit.models import AccessEvent
from tarian.operations.retention import (
    DEFAULT_RULES,
    RECORD_KINDS,
    Duration,
    RetentionRuleError,
    load_rules,
    parse_rules,
    retention_report,
)
from tarian.people.models import Person
from tests.factories import PersonFactory

RULES = """
[[rule]]
name = "children"
record_kind = "child"
keep_for = "25 years"
counts_from = "date_of_birth"
action = "review"
source = "IRMS toolkit: date of birth + 25 years"

[[rule]]
name = "access_log"
record_kind = "access_event"
keep_for = "1 year"
counts_from = "at"
action = "destroy"
local_decision = true
source = "Local decision"

[[rule]]
name = "failed_logins"
record_kind = "login_failure"
keep_for = "90 days"
counts_from = "attempt_time"
action = "destroy"
source = "Local decision"
"""
# Midday on 1 March 2025 (GMT, so London and UTC agree).
NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def at(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def records(db: None) -> None:
    for born in [
        dt.date(2000, 3, 1),
        dt.date(2000, 2, 29),
        dt.date(1990, 5, 5),
        dt.date(2000, 3, 2),
        dt.date(2010, 1, 1),
    ]:
        PersonFactory(date_of_birth=born)
    PersonFactory(kind="unborn", date_of_birth=None, expected_date=dt.date(2025, 6, 1))
    PersonFactory(kind="adult", date_of_birth=dt.date(1950, 1, 1))  # not a child: not counted
    for moment in [at(2024, 3, 1, 11, 59), at(2024, 3, 1, 12, 0), at(2024, 3, 1, 12, 1)]:
        AccessEvent.objects.create(
            at=moment,
            username="system",
            user_display="Tarian",
            action="view",
            record_kind="person",
            channel="command",
        )
    failure = AccessFailureLog.objects.create(
        user_agent="t", ip_address="192.0.2.1", username="x", http_accept="*/*", path_info="/login"
    )
    AccessFailureLog.objects.filter(pk=failure.pk).update(attempt_time=at(2024, 12, 1, 12, 0))


def test_retention_report_counts_records_past_their_date_as_of_now(records: None) -> None:
    reports = {r.rule.name: r for r in retention_report(parse_rules(RULES), now=NOW)}

    children = reports["children"]
    # Born 1 March 2000: 25 today. Born 29 February 2000: 25 on 1 March in a common year.
    assert (children.past_retention, children.total, children.undated) == (3, 6, 1)
    assert children.oldest == dt.date(1990, 5, 5)
    assert children.cutoff == dt.date(2000, 3, 1)
    assert children.would_happen == (
        "3 children and unborn babies would be listed for a person to review"
    )
    access = reports["access_log"]
    assert (access.past_retention, access.total, access.oldest) == (2, 3, at(2024, 3, 1, 11, 59))
    failures = reports["failed_logins"]
    assert (failures.past_retention, failures.oldest) == (1, at(2024, 12, 1, 12, 0))
    assert failures.would_happen == "1 failed log-ins would be destroyed"


def test_retention_report_counts_nothing_the_day_before_it_is_due(records: None) -> None:
    reports = retention_report(parse_rules(RULES), now=NOW - dt.timedelta(days=1))
    children = reports[0]
    assert (children.past_retention, children.oldest) == (1, dt.date(1990, 5, 5))
    assert reports[1].past_retention == 0  # a year has not passed for any access yet


def test_retention_report_refuses_a_naive_now(records: None) -> None:
    with pytest.raises(ValueError, match="aware"):
        retention_report(parse_rules(RULES), now=dt.datetime(2025, 3, 1))


def test_retention_command_reports_json_as_a_dry_run(records: None, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    out = StringIO()
    call_command("retention", "--format", "json", "--as-of", "2025-03-01", rules=rules, stdout=out)
    document = json.loads(out.getvalue())
    assert document["dry_run"] is True
    by_name = {rule["name"]: rule for rule in document["rules"]}
    assert by_name["children"]["past_retention"] == 3
    assert by_name["children"]["oldest"] == "1990-05-05"
    assert by_name["access_log"]["local_decision"] is True


def test_retention_command_text_says_nothing_was_changed(records: None, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    out = StringIO()
    call_command("retention", "--as-of", "2025-03-01", rules=rules, stdout=out)
    text = out.getvalue()
    assert "Dry run: nothing has been changed." in text
    assert "past retention: 3 of 6; the oldest from 1990-05-05" in text
    assert "1 have no date_of_birth and are kept" in text
    assert Person.objects.count() == 7


def test_shipped_rules_load_and_name_a_source_for_every_rule() -> None:
    rules = load_rules(DEFAULT_RULES)
    assert {rule.record_kind for rule in rules} == set(RECORD_KINDS)
    assert all(rule.source for rule in rules)
    child = next(rule for rule in rules if rule.name == "children_review_at_25")
    assert (str(child.keep_for), child.counts_from, child.action) == (
        "25 years",
        "date_of_birth",
        "review",
    )


def test_every_record_kind_counts_from_real_date_fields() -> None:
    for kind in RECORD_KINDS.values():
        model = apps.get_model(kind.model)
        for name in kind.date_fields:
            assert isinstance(model._meta.get_field(name), models.DateField), (kind, name)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('record_kind = "child"', 'record_kind = "kids"'),
            "rule 1 ('children'): unknown record kind 'kids'; known kinds: access_event",
        ),
        (
            ('keep_for = "25 years"', 'keep_for = "25 yrs"'),
            "rule 1 ('children'): keep_for '25 yrs' is not a duration",
        ),
        (
            ('keep_for = "25 years"', 'keep_for = "0 days"'),
            "rule 1 ('children'): keep_for '0 days' must be longer than nothing",
        ),
        (
            ('keep_for = "25 years"', 'keep_for = "200 years"'),
            "rule 1 ('children'): keep_for '200 years' is longer than 150 years",
        ),
        (('keep_for = "25 years"', "keep_for = 25"), "rule 1 ('children'): keep_for must be text"),
        (
            ('action = "review"', 'action = "shred"'),
            "rule 1 ('children'): unknown action 'shred'; use one of review, destroy, anonymise",
        ),
        (
            ('counts_from = "date_of_birth"', 'counts_from = "given_name"'),
            "rule 1 ('children'): counts_from 'given_name' is not a date of child",
        ),
        (
            ('source = "IRMS toolkit: date of birth + 25 years"', 'source = "  "'),
            "rule 1 ('children'): source must say which guidance",
        ),
        (
            ('source = "IRMS toolkit: date of birth + 25 years"', ""),
            "rule 1 ('children'): source is missing",
        ),
        (
            ('name = "access_log"', 'name = "children"'),
            "rule 2 ('children'): the name 'children' is used by an earlier rule",
        ),
        (
            ('action = "destroy"\nlocal', 'action = "destroy"\nkeep = true\nlocal'),
            "rule 2 ('access_log'): unknown key 'keep'",
        ),
        (
            ("local_decision = true", 'local_decision = "yes"'),
            "rule 2 ('access_log'): local_decision must be true or false",
        ),
    ],
)
def test_bad_rule_is_refused_naming_the_rule_and_problem(
    change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in RULES
    with pytest.raises(RetentionRuleError) as refused:
        parse_rules(RULES.replace(old, new, 1), origin="rules.toml")
    assert f"rules.toml: {message}" in str(refused.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[rule]\nname = 1", "not valid TOML"),
        ("", "there are no [[rule]] tables"),
        ("version = 2\n" + RULES, "unknown top-level keys version"),
        ("rule = 3", "there are no [[rule]] tables"),
    ],
)
def test_bad_rules_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(RetentionRuleError, match=message.replace("[", r"\[")):
        parse_rules(text, origin="rules.toml")


def test_retention_command_refuses_a_bad_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES.replace('keep_for = "1 year"', 'keep_for = "forever"'))
    with pytest.raises(CommandError, match="rule 2 \\('access_log'\\): keep_for 'forever'"):
        call_command("retention", rules=rules)


def test_duration_before_keeps_longer_at_the_end_of_a_month() -> None:
    assert Duration.parse("25 years").before(dt.date(2025, 2, 28)) == dt.date(2000, 2, 28)
    assert Duration.parse("1 year").before(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert Duration.parse("1 month").before(dt.date(2025, 3, 31)) == dt.date(2025, 2, 28)
    assert Duration.parse("2 weeks").before(dt.date(2025, 3, 1)) == dt.date(2025, 2, 15)
    assert Duration.parse("6 months").before(at(2025, 1, 31, 9, 0)) == at(2024, 7, 31, 9, 0)
