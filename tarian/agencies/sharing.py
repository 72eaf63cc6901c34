"""Loading the information-sharing rules (IS1) from a data file into the ``SharingRule`` table.

Every role, kind of agency, kind of record, action and scope in the file is checked here, as it
is loaded: the kinds of record are ``RecordKind``, which a new app extends without a migration.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.db import transaction

from tarian.agencies.models import Action, AgencyType, RecordKind, RoleCode, Scope, SharingRule

DEFAULT_RULES_FILE = Path(__file__).with_name("sharing_rules.toml")


class SharingRulesError(ValueError):
    pass


def parse_rules(text: str, source: str = "rules file") -> list[SharingRule]:
    """Turn the TOML rules format into unsaved ``SharingRule`` rows, refusing anything unknown."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SharingRulesError(f"{source}: not valid TOML: {exc}") from exc
    agreements: dict[str, str] = data.get("agreements", {})
    bases: dict[str, str] = data.get("lawful_basis", {})
    agreement = agreements.get("partnership", "")
    if not agreement:
        raise SharingRulesError(f"{source}: [agreements] partnership must name the agreement")
    rows: dict[tuple[str, str, str, str], SharingRule] = {}
    for number, rule in enumerate(data.get("rule", []), start=1):
        rows.update(_expand(rule, number, source, agreement, bases))
    return list(rows.values())


def _expand(
    rule: dict[str, Any], number: int, source: str, agreement: str, bases: dict[str, str]
) -> dict[tuple[str, str, str, str], SharingRule]:
    where = f"{source}: rule {number}"

    def check(field: str, values: list[str], allowed: set[str]) -> list[str]:
        if not values:
            raise SharingRulesError(f"{where}: {field} is empty")
        bad = [v for v in values if v not in allowed]
        if bad:
            raise SharingRulesError(f"{where}: {field} has unknown values {bad}")
        return values

    roles = check("roles", rule.get("roles", []), set(RoleCode.values))
    types = check("agency_types", rule.get("agency_types", []), {*AgencyType.values, "*"})
    kinds = rule.get("record_kinds", [])
    if not kinds:
        raise SharingRulesError(f"{where}: record_kinds is empty")
    for kind in kinds:
        if kind not in RecordKind.values:
            # The table takes any kind (no ``choices``, so a new kind needs no migration):
            # this is where a misspelt or unknown kind is stopped.
            raise SharingRulesError(
                f"{where}: there is no kind of record called {kind!r} "
                f"(the kinds are {', '.join(RecordKind.values)})"
            )
    actions = check("actions", rule.get("actions", []), set(Action.values))
    scope = rule.get("scope", "")
    if scope not in Scope.values:
        raise SharingRulesError(f"{where}: scope must be one of {Scope.values}")
    basis = bases.get(rule.get("basis", ""), "")
    if not basis:
        raise SharingRulesError(f"{where}: basis must name an entry of [lawful_basis]")
    out: dict[tuple[str, str, str, str], SharingRule] = {}
    for role in roles:
        for agency_type in types:
            for kind in kinds:
                for action in actions:
                    key = ("" if agency_type == "*" else agency_type, role, kind, action)
                    out[key] = SharingRule(
                        agency_type=key[0],
                        role=role,
                        record_kind=kind,
                        action=action,
                        scope=scope,
                        agreement=agreement,
                        lawful_basis=basis,
                    )
    return out


@transaction.atomic
def replace_rules(rules: list[SharingRule]) -> int:
    SharingRule.objects.all().delete()
    SharingRule.objects.bulk_create(rules)
    return len(rules)


def load_default_rules_if_empty(**_: object) -> None:
    """post_migrate hook: every role exists, and every kind of record has sharing rules.

    A new install gets the default agreement. After an upgrade that brings a new kind of record
    (referrals, documents ...), the default rules for that kind are added; rules the partnership
    has set for kinds it already had are never touched. Also runs after a database flush (tests),
    which empties tables that migrations filled.
    """
    from tarian.agencies.models import Role

    existing = set(Role.objects.values_list("code", flat=True))
    Role.objects.bulk_create([Role(code=c) for c in RoleCode.values if c not in existing])
    covered = set(SharingRule.objects.values_list("record_kind", flat=True).distinct())
    defaults = parse_rules(DEFAULT_RULES_FILE.read_text(), str(DEFAULT_RULES_FILE.name))
    SharingRule.objects.bulk_create([r for r in defaults if r.record_kind not in covered])
