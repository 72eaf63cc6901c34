"""``tarian restore PATH [--yes]``: replace the whole database with a checked backup (IS3, IS4).

issue: security and reliability baseline. See ``tarian.operations.backup``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone

from tarian.operations import backup as backups
from tarian.operations import database_roles


class Command(BaseCommand):
    help = (
        "Replace the whole database and its documents with a backup made by `tarian backup`. "
        "The backup is checked first (present, the same engine, digest matching its manifest, "
        "every document matching its checksum, SQLite integrity or pg_restore's listing) and "
        "the database being replaced is itself backed up beside the others. Stop the web "
        "service first. Asks for confirmation unless --yes is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file to restore")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (for scripts)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        database = backups.configured_database()
        try:
            checked = backups.check_backup(database=database, backup_path=Path(options["path"]))
        except backups.BackupRefused as exc:
            raise CommandError(f"Not restored: {exc}") from exc
        for warning in checked.warnings:
            self.stderr.write(f"Warning: {warning}")
        if not options["yes"] and not self._confirmed(checked, database):
            raise CommandError("Not restored: the restore was not confirmed. Nothing was changed.")
        connections.close_all()
        try:
            result = backups.restore_backup(
                database=database,
                checked=checked,
                now=timezone.now(),
                owner=database_roles.owner_database(),
            )
        except backups.BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        if result.safety_copy is not None:
            self.stdout.write(f"The database as it was is saved in {result.safety_copy.path}")
        if result.differences:
            raise CommandError(
                "Restored, but the database differs from the backup's manifest: "
                + "; ".join(result.differences)
            )
        self.stdout.write(f"Restored {checked.path}")
        if checked.manifest is not None and "documents" in checked.manifest:
            files = checked.manifest["documents"]["files"]
            self.stdout.write(
                f"Documents: {len(files)} checked against the manifest, "
                f"{result.documents_restored} written to the upload folder."
            )
        if checked.manifest is not None:
            self.stdout.write("Row counts and migrations match the backup's manifest.")

    def _confirmed(self, checked: backups.CheckedBackup, database: Mapping[str, Any]) -> bool:
        taken = checked.manifest["created_at"] if checked.manifest else "an unknown time"
        self.stdout.write(
            f"This replaces everything in the {backups.ENGINE_NAMES[checked.engine]} database "
            f"{database['NAME']} with the backup {checked.path} taken at {taken}."
        )
        answer = input("Type 'yes' to restore: ")
        return answer.strip().lower() == "yes"
