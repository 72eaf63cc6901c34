"""``tarian create-user --username U --agency SLUG --role ROLE ... --password P [--token]``.

With ``--token`` the last line printed is a new API token and nothing else (API contract).
For a role that needs two-factor authentication it also prints a one-time link with which the
user sets up their authenticator app (``tarian.agencies.two_factor``), and the token lives at
most ``TARIAN_API_TOKEN_DAYS_TWO_FACTOR`` days.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, Role, RoleCode, Team, User
from tarian.agencies.two_factor import issue_enrolment_link, needs_two_factor


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
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with slug {options['agency']!r}: create it first")
        team = None
        if options["team"]:
            team, _ = Team.objects.get_or_create(agency=agency, name=options["team"])
        user = User.objects.filter(username=options["username"]).first() or User(
            username=options["username"]
        )
        user.agency = agency
        user.team = team
        user.first_name = options["first_name"] or user.first_name
        user.last_name = options["last_name"] or user.last_name
        user.email = options["email"] or user.email
        if not options["allow_weak_password"]:
            try:
                validate_password(options["password"], user)
            except ValidationError as exc:
                raise CommandError("--password: " + " ".join(exc.messages)) from exc
        user.set_password(options["password"])
        user.save()
        user.roles.set(Role.objects.filter(code__in=options["roles"]))
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
            self.stdout.write(issue_token(user, name="created by create-user"))
