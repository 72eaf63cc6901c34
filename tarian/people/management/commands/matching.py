"""``tarian matching train`` and ``tarian matching rebuild-keys`` (FD6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tarian.people.matching.keys import rebuild_all_keys
from tarian.people.matching.train import train
from tarian.people.matching.weights import reload_weights


class Command(BaseCommand):
    help = "The matcher: train its weights on this register, or rebuild its blocking keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        trainer = sub.add_parser("train", help="Estimate match weights from the register (EM)")
        trainer.add_argument(
            "--output", type=Path, default=None,
            help="Where to write the weights (default: TARIAN_MATCH_WEIGHTS or "
            "<data dir>/match-weights.json)",
        )
        trainer.add_argument("--random-pairs", type=int, default=200_000)
        trainer.add_argument("--blocked-sample", type=int, default=300_000)
        trainer.add_argument("--random-seed", type=int, default=1)
        sub.add_parser("rebuild-keys", help="Rebuild every person's blocking keys")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = options["verbosity"] > 0
        if options["action"] == "rebuild-keys":
            written = rebuild_all_keys(progress=progress)
            self.stdout.write(f"Wrote {written:,} match keys.")
            return
        try:
            report = train(
                random_pairs=options["random_pairs"],
                blocked_sample=options["blocked_sample"],
                random_seed=options["random_seed"],
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        output = options["output"] or Path(
            settings.TARIAN_MATCH_WEIGHTS or settings.DATA_DIR / "match-weights.json"
        )
        report.weights.save(output)
        self.stdout.write(
            f"Trained on {report.weights.trained_on}.\n"
            f"EM: estimated share of matching pairs {report.match_share:.4f} after "
            f"{report.weights.iterations} iterations"
            + (" (too few duplicates: previous m kept)" if report.kept_previous_m else "")
            + f".\nHousehold size {report.weights.household_size:.2f}, twin share "
            f"{report.weights.twin_share:.3f}.\nWrote {output}."
        )
        if not settings.TARIAN_MATCH_WEIGHTS and output != settings.DATA_DIR / "match-weights.json":
            self.stdout.write(f"Set TARIAN_MATCH_WEIGHTS={output} to use these weights.")
        reload_weights()
