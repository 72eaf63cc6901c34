"""``tarian demo``: migrate, seed an empty database, add each app's demo data
(``tarian.seed.contributions``), print a log-in per role, serve on :8000."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tarian.seed.agencies import area_agencies
from tarian.seed.contributions import DemoContext, make_demo_data
from tarian.seed.write import register_is_empty, seed_area


class Command(BaseCommand):
    help = "Run the demonstration: synthetic data for the fictional Gaerwen area, on :8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=2500)
        parser.add_argument("--random-seed", type=int, default=1)
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Prepare, print, then stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "tarian demo is a local demonstration with published passwords: "
                "run it with TARIAN_DEBUG=1 (make demo does this), never in production."
            )
        call_command("migrate", interactive=False, verbosity=0)
        if register_is_empty():
            self.stdout.write(f"Creating synthetic data for {options['children']} children...")
            seed_area(children=options["children"], random_seed=options["random_seed"])
        context = DemoContext(
            random_seed=options["random_seed"],
            base_url=f"http://{options['addrport']}",
            area=area_agencies(),
            say=self.stdout.write,
        )
        make_demo_data(context)
        self.stdout.write("")
        for line in context.closing:
            self.stdout.write(line)
        self.stdout.write("")
        if options["no_serve"]:
            return
        self.stdout.write(f"Open http://{options['addrport']}/ and sign in. Ctrl-C stops it.")
        call_command("runserver", options["addrport"], use_reloader=False)
