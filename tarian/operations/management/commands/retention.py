"""``tarian retention [--dry-run] [--format text|json]``: what is past its retention date.

issue: security and reliability baseline (UK GDPR storage limitation; NHS DSPT records
management). See ``tarian.operations.retention``. Report only: nothing is ever changed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tarian.operations.retention import (
    DEFAULT_RULES,
    RetentionRuleError,
    RuleReport,
    load_rules,
    retention_report,
)


class Command(BaseCommand):
    help = (
        "Report, for each retention rule, how many records are past their retention date, the "
        "oldest, and what would happen to them. This is always a dry run: Tarian does not yet "
        "destroy, anonymise or flag records for review, so nothing is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            default=True,
            help="Report only (the default and, for now, the only mode)",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--rules", type=Path, default=DEFAULT_RULES, help="A rules file (TOML) to use instead"
        )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="Report as at the start of this day (YYYY-MM-DD) instead of now",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rules = load_rules(options["rules"])
        except RetentionRuleError as exc:
            raise CommandError(f"The retention rules cannot be used:\n{exc}") from exc
        if options["as_of"] is not None:
            now = timezone.make_aware(dt.datetime.combine(options["as_of"], dt.time.min))
        else:
            now = timezone.now()
        reports = retention_report(rules, now=now)
        if options["format"] == "json":
            document = {
                "as_of": now.isoformat(),
                "dry_run": True,
                "rules_file": str(options["rules"]),
                "rules": [report.as_dict() for report in reports],
            }
            self.stdout.write(json.dumps(document, indent=2))
            return
        self.stdout.write(
            f"Retention report as of {now:%Y-%m-%d %H:%M %Z} from {options['rules']}\n"
            "Dry run: nothing has been changed.\n"
        )
        for report in reports:
            self.stdout.write(self._describe(report))

    def _describe(self, report: RuleReport) -> str:
        rule = report.rule
        oldest = f"; the oldest from {report.oldest:%Y-%m-%d}" if report.oldest else ""
        lines = [
            f"{rule.name}: {rule.kind.description}, kept {rule.keep_for} from "
            f"{rule.counts_from}, then {rule.action}"
            + (" (local decision)" if rule.local_decision else ""),
            f"  past retention: {report.past_retention} of {report.total}{oldest}",
        ]
        if report.undated:
            lines.append(f"  {report.undated} have no {rule.counts_from} and are kept")
        lines.append(f"  would happen: {report.would_happen}")
        lines.append(f"  source: {rule.source}")
        return "\n".join(lines) + "\n"
