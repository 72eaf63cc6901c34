"""``tarian subject-access REF --as USERNAME --output PATH``: a subject access export (IS4, PC2).

Issue "security and reliability baseline", item 7. Produces the same ZIP as the web page, as the
named user and under the same permission rules, audited once as an export made from a command.
See ``tarian.disclosure.export``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tarian.agencies.models import User
from tarian.audit.context import audit_context
from tarian.disclosure.export import export_filename, export_subject_access
from tarian.errors import Forbidden, NotFound, Restricted


class Command(BaseCommand):
    help = (
        "Produce a subject access export for one person: a ZIP holding a readable PDF, the "
        "record as JSON, who has viewed it as CSV and a README saying what was withheld. Runs "
        "as the named user, whose role must allow exporting the record. The file is readable "
        "by its owner only; an existing file is never overwritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ref", help="The person's Tarian ID, for example T7K3M9Q2X")
        parser.add_argument(
            "--as", dest="as_user", required=True, metavar="USERNAME",
            help="The user producing the export (their permissions apply; they are recorded)",
        )
        parser.add_argument(
            "--output", type=Path, required=True,
            help="A new file to write, or a directory to put the export in",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with username {options['as_user']!r}")
        ref = str(options["ref"]).strip().upper()
        now = timezone.now()
        output = Path(options["output"])
        target = output / export_filename(ref, now) if output.is_dir() else output
        # Claim the file before exporting, so that an export is never audited and then lost.
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(f"{target} already exists; choose a new file") from exc
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc.strerror}") from exc
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            try:
                with audit_context("command", route="tarian subject-access"):
                    export = export_subject_access(user, ref=ref, now=now)
                handle.write(export.content)
            except (NotFound, Restricted, Forbidden) as exc:
                target.unlink()
                raise CommandError(_refusal(exc, ref, user)) from exc
            except BaseException:
                target.unlink()  # never leave half a file, or an empty one, behind
                raise
        self.stdout.write(str(target))


def _refusal(exc: Exception, ref: str, user: User) -> str:
    if isinstance(exc, Restricted):
        return f"{ref} is a restricted record and {user.username} is not named on it"
    if isinstance(exc, Forbidden):
        return f"{user.username}'s role may not export {ref}"
    return f"No record {ref} that {user.username} may see"
