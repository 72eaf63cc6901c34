"""``tarian create-agency --slug SLUG --name NAME --type TYPE`` (API contract)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from tarian.agencies.models import Agency, AgencyType


class Command(BaseCommand):
    help = "Create an agency (or update its name and type if the slug exists)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--type", required=True, choices=AgencyType.values, dest="agency_type")
        parser.add_argument("--name-cy", default="", help="The agency's name in Welsh")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        if slugify(slug) != slug:
            raise CommandError(f"--slug must be lower-case letters, digits and hyphens: {slug!r}")
        agency, created = Agency.objects.update_or_create(
            slug=slug,
            defaults={
                "name": options["name"],
                "name_cy": options["name_cy"],
                "type": options["agency_type"],
                "email": options["email"],
            },
        )
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} agency {agency.slug} ({agency.get_type_display()})")
