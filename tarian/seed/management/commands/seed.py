"""``tarian seed --children N [--random-seed S]``: synthetic, reproducible demo data (API).

Adds the fictional Gaerwen agencies and N children with their families to the database. The
same seed and N give the same people on an empty database; on a database that already has
people, the seed adds more alongside them. ``tarian demo`` seeds only an empty database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tarian.seed.write import seed_area


class Command(BaseCommand):
    help = (
        "Add synthetic, reproducible data for the fictional Gaerwen area: its agencies and N "
        "children with their households, parents, addresses and involvements."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, required=True, help="How many children")
        parser.add_argument(
            "--random-seed",
            type=int,
            default=1,
            help="The same seed gives the same data (default 1)",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Date the data is relative to, YYYY-MM-DD (default: today)",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="No progress bar (the summary line is still printed)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["children"] < 1:
            raise CommandError("--children must be at least 1")
        summary = seed_area(
            children=options["children"],
            random_seed=options["random_seed"],
            progress=not options["quiet"] and options["verbosity"] > 0,
            today=options["today"],
        )
        if options["verbosity"] > 0:
            self.stdout.write(summary.describe())
