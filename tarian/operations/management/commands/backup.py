"""``tarian backup [--output PATH]``: the whole database and its documents (IS3, IS4).

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
        "backup API, or a pg_dump custom-format file on PostgreSQL, and beside it the uploaded "
        "documents (<backup>.documents.tar). The files are readable by their owner only and "
        "have a JSON manifest beside them (engine, time, SHA-256 of the backup and of every "
        "document, migrations, row counts). By default they go to TARIAN_BACKUP_DIR, or "
        "<TARIAN_DATA_DIR>/backups. Copy all three together."
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
        documents = result.manifest.get("documents", {})
        self.stdout.write(
            f"Documents: {len(documents.get('files', []))} in {result.documents_path}"
        )
        self.stdout.write(f"Manifest: {result.manifest_path}")
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
