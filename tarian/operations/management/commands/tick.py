"""``tarian tick [--now ISO-DATETIME]``: run the timed work once (see ``tarian.operations.tick``).

Cron calls it every few minutes. It is idempotent; it prints one line per job and exits
non-zero when any job failed (the others still ran).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tarian.operations.tick import run_tick


def _moment(raw: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(raw)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Run every registered timed job once (flag overdue agreed actions, ...), each in its "
        "own transaction. Safe to run again at any time: cron runs it every few minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", type=_moment,
            help="Run as at this moment (YYYY-MM-DDTHH:MM, London time unless an offset is "
            "given) instead of now",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = options["now"] or timezone.now()
        results = run_tick(now)
        for result in results:
            line = f"{result.name}: {result.summary}"
            if result.ok:
                self.stdout.write(line)
            else:
                self.stderr.write(line)
        failed = [result.name for result in results if not result.ok]
        if not results:
            self.stdout.write("No timed jobs are registered.")
        if failed:
            raise CommandError(f"{len(failed)} tick job(s) failed: {', '.join(failed)}")
