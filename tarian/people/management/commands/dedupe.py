"""``tarian dedupe`` (IS3, FD6): list likely duplicate people for review in the web UI."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tarian.people.matching.dedupe import find_duplicates


class Command(BaseCommand):
    help = (
        "Scan the register for likely duplicate people and add them to the review list "
        "(Duplicates, in the web UI). Pairs already reviewed are not raised again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        summary = find_duplicates(progress=options["verbosity"] > 0)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Compared {summary.pairs_compared:,} pairs among {summary.people:,} people in "
            f"{seconds:.1f} s ({summary.people / max(seconds, 1e-9):,.0f} people/s); "
            f"{summary.found:,} likely duplicates added to the review list "
            f"({summary.already_listed:,} pairs were already on it)."
        )
