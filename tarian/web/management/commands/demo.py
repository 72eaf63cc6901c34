"""``tarian demo``: migrate, seed an empty database, print a log-in per role, serve on :8000."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tarian.agencies.demo import DEMO_PASSWORD, create_demo_users, enrolment_links
from tarian.people.models import Person


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
        from tarian.people.seed import area_agencies, seed_area

        call_command("migrate", interactive=False, verbosity=0)
        if not Person.objects.exists():
            self.stdout.write(f"Creating synthetic data for {options['children']} children...")
            seed_area(children=options["children"], random_seed=options["random_seed"])
        agencies = area_agencies()
        logins = create_demo_users(agencies.school_slug, agencies.gp_slug)
        from tarian.referrals.demo import create_demo_referrals

        create_demo_referrals(random_seed=options["random_seed"])
        from tarian.people.demo import create_demo_duplicates

        found = create_demo_duplicates()
        if found is not None:
            self.stdout.write(
                f"{found.found} possible duplicate records are waiting for review "
                "(sign in as team.manager: Review possible duplicates)."
            )
        self.stdout.write("")
        self.stdout.write(f"Demo log-ins (every password is {DEMO_PASSWORD}):")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.username:<{width}}  {', '.join(login.roles):<36} {login.job_title}"
            )
        links = enrolment_links(logins, base_url=f"http://{options['addrport']}")
        if links:
            self.stdout.write("")
            self.stdout.write(
                "These must set up two-factor authentication with an authenticator app before "
                "anything else. Open the user's one-time set-up link, then sign in (each works "
                "once; the demo prints new ones each time it starts):"
            )
            for username, url in links:
                self.stdout.write(f"  {username:<{width}}  {url}")
        self.stdout.write("")
        if options["no_serve"]:
            return
        self.stdout.write(f"Open http://{options['addrport']}/ and sign in. Ctrl-C stops it.")
        call_command("runserver", options["addrport"], use_reloader=False)
