"""``tarian load-sharing-rules FILE``: replace the information-sharing rules (IS1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tarian.agencies.sharing import (
    DEFAULT_RULES_FILE,
    SharingRulesError,
    parse_rules,
    replace_rules,
)


class Command(BaseCommand):
    help = "Replace every sharing rule with those in a TOML file (default: the shipped rules)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(DEFAULT_RULES_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            rules = parse_rules(path.read_text(encoding="utf-8"), path.name)
        except SharingRulesError as exc:
            raise CommandError(str(exc)) from exc
        count = replace_rules(rules)
        self.stdout.write(f"Loaded {count} sharing rules from {path}")
