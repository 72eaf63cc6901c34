"""``tarian backup [--output PATH]``: a consistent copy of the whole database (IS3, IS4).

issue: security and reliability baseline. See ``tarian.operations.backup``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tarian.operations import backup as backups


class Command(BaseCommand):
    help = (
        "Back up the whole database while Tarian keeps running: a SQLite copy made with the "
        "backup API, or a pg_dump custom-format file on PostgreSQL. The file is readable by its "
        "owner only and has a JSON manifest beside it (engine, time, SHA-256, migrations, row "
        "counts). By default it goes to TARIAN_BACKUP_DIR, or <TARIAN_DATA_DIR>/backups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="A new file to write, or a directory to put a timestamped backup in",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backups.make_backup(
                database=backups.configured_database(),
                now=timezone.now(),
                output=Path(options["output"]) if options["output"] else None,
            )
        except backups.BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {result.path} ({result.size_bytes:,} bytes)")
        self.stdout.write(f"Manifest: {result.manifest_path}")
