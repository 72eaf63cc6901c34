"""``tarian create-user --username U --agency SLUG --role ROLE ... --password P [--token]``.

With ``--token`` the last line printed is a new API token and nothing else (API contract).
For a role that needs two-factor authentication it also prints a one-time link with which the
user sets up their authenticator app (``tarian.agencies.two_factor``), and the token lives at
most ``TARIAN_API_TOKEN_DAYS_TWO_FACTOR`` days.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device

from tarian.agencies import services
from tarian.agencies.models import RoleCode
from tarian.agencies.two_factor import issue_enrolment_link, needs_two_factor
from tarian.errors import Refused

# The option that gave each field the service names in a refusal.
OPTION = {"roles": "role", "first_name": "first-name", "last_name": "last-name"}


class Command(BaseCommand):
    help = "Create a user in an agency with one or more roles (or update an existing one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--agency", required=True, help="The agency's slug")
        parser.add_argument(
            "--role", action="append", required=True, choices=RoleCode.values, dest="roles"
        )
        parser.add_argument("--password", required=True)
        parser.add_argument("--token", action="store_true", help="Also issue an API token")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--team", default="", help="The name of a team in the agency")
        parser.add_argument(
            "--allow-weak-password",
            action="store_true",
            help="Skip the password rules (for throwaway test set-ups only)",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = services.create_user(
                None,
                username=options["username"],
                agency=options["agency"],
                roles=options["roles"],
                password=options["password"],
                team=options["team"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                allow_weak_password=options["allow_weak_password"],
            )
        except Refused as refused:
            raise CommandError(
                "; ".join(
                    f"--{OPTION.get(field, field)}: {' '.join(messages)}"
                    for field, messages in refused.errors.items()
                )
            ) from refused
        agency = user.agency
        assert agency is not None
        roles = ", ".join(sorted(options["roles"]))
        self.stdout.write(f"User {user.username} in {agency.slug} with roles {roles}")
        if needs_two_factor(user) and not user_has_device(user):
            issued = issue_enrolment_link(user, issued_by="tarian create-user")
            expires = timezone.localtime(issued.link.expires_at)
            self.stdout.write(
                "Their role needs two-factor authentication. Give them this set-up link "
                f"(works once, until {expires:%Y-%m-%d %H:%M}):"
            )
            self.stdout.write(issued.url() if settings.TARIAN_BASE_URL else issued.path())
        if options["token"]:
            self.stdout.write(services.issue_token(None, user=user, name="created by create-user"))
