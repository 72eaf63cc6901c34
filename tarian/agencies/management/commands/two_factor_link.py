"""``tarian two-factor-link --username U [--replace]``: a one-time link to set up two-factor
authentication (#18 item 13; ``tarian.agencies.two_factor``).

An administrator on the server gives the printed link to the person (not by the same channel
as their password). With ``--replace`` the person's existing authenticator apps are removed
first: for a lost or replaced phone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tarian.agencies.models import User
from tarian.agencies.two_factor import issue_enrolment_link


class Command(BaseCommand):
    help = (
        "Print a one-time link with which a user sets up their authenticator app. It expires "
        "after TARIAN_ENROLMENT_LINK_HOURS and works once; a new link cancels an older one. "
        "--replace first removes the user's authenticator apps (a lost phone)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remove the user's existing authenticator apps first",
        )
        parser.add_argument(
            "--base-url", default="", help="The site's address (default TARIAN_BASE_URL)"
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}")
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        if devices.exists():
            if not options["replace"]:
                raise CommandError(
                    f"{user.username} already has an authenticator app. To replace it (a lost "
                    "phone), run this again with --replace"
                )
            removed = devices.delete()[0]
            self.stdout.write(f"Removed {removed} authenticator app(s) of {user.username}")
        base_url = options["base_url"] or settings.TARIAN_BASE_URL
        if not base_url:
            raise CommandError("Set TARIAN_BASE_URL (or give --base-url) to print a whole link")
        issued = issue_enrolment_link(user, issued_by="tarian two-factor-link")
        expires = timezone.localtime(issued.link.expires_at)
        self.stdout.write(
            f"Set-up link for {user.username} (works once, until {expires:%Y-%m-%d %H:%M}):"
        )
        self.stdout.write(issued.url(base_url))
