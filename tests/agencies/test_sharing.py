"""IS1: the kinds of record in the sharing rules are checked when the rules are loaded, not by
the table's ``choices``, so that a new kind of record needs no migration (#19)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tarian.agencies.models import RecordKind, SharingRule
from tarian.agencies.sharing import DEFAULT_RULES_FILE, SharingRulesError, parse_rules

RULES = """
[agreements]
partnership = "Test agreement"

[lawful_basis]
statutory = "Children Act 1989 s.47"

[[rule]]
roles = ["social_worker"]
agency_types = ["childrens_services"]
record_kinds = {kinds}
actions = ["read"]
scope = "all"
basis = "statutory"
"""


def rules_with(*kinds: str) -> str:
    return RULES.format(kinds="[" + ", ".join(f'"{kind}"' for kind in kinds) + "]")


def test_is1_every_known_kind_of_record_loads() -> None:
    rows = parse_rules(rules_with(*RecordKind.values), "test.toml")
    assert sorted(row.record_kind for row in rows) == sorted(RecordKind.values)


def test_is1_the_shipped_rules_speak_only_of_known_kinds() -> None:
    rows = parse_rules(DEFAULT_RULES_FILE.read_text(), DEFAULT_RULES_FILE.name)
    assert {row.record_kind for row in rows} <= set(RecordKind.values)


def test_is1_an_unknown_kind_of_record_is_refused_naming_it() -> None:
    with pytest.raises(SharingRulesError) as refused:
        parse_rules(rules_with("person", "strategy_meting"), "test.toml")
    message = str(refused.value)
    assert message.startswith("test.toml: rule 1: there is no kind of record called")
    assert "'strategy_meting'" in message
    assert "person" in message.split("the kinds are")[1]


def test_is1_an_empty_list_of_kinds_is_refused() -> None:
    with pytest.raises(SharingRulesError, match="rule 1: record_kinds is empty"):
        parse_rules(rules_with(), "test.toml")


@pytest.mark.django_db
def test_is1_loading_a_file_with_an_unknown_kind_changes_no_rule(tmp_path: Path) -> None:
    before = SharingRule.objects.count()
    path = tmp_path / "rules.toml"
    path.write_text(rules_with("improvement_plan"), encoding="utf-8")
    with pytest.raises(CommandError, match="no kind of record called 'improvement_plan'"):
        call_command("load_sharing_rules", str(path))
    assert SharingRule.objects.count() == before > 0


def test_is1_the_table_takes_kinds_without_choices() -> None:
    assert not SharingRule._meta.get_field("record_kind").choices
