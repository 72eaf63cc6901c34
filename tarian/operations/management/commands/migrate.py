"""``tarian migrate``: Django's migrate, run as the tables' owner when a deployment has two roles.

docs/decisions/0009. With ``TARIAN_MIGRATE_DATABASE_URL`` set, the migrations run as that role
(the owner), and afterwards (``post_migrate``, ``tarian.operations.database_roles``) the role in
``DATABASE_URL`` is granted what the application needs, and only reading and inserting on the
audit log. Without it, this is Django's migrate.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from tarian.operations import database_roles


class Command(DjangoMigrate):
    help = DjangoMigrate.help + (
        " With TARIAN_MIGRATE_DATABASE_URL set (PostgreSQL), runs as that role, the tables' "
        "owner, then grants the role in DATABASE_URL what the application needs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        with database_roles.connected_as_owner(alias) as switched:
            super().handle(*args, **options)
            role = database_roles.runtime_role()
            if switched and role and options["verbosity"] >= 1:
                with connections[alias].cursor() as cursor:
                    problems = database_roles.runtime_role_problems(cursor, role)
                if problems:
                    self.stderr.write(
                        "Warning: the application's role could change or erase the audit log: "
                        + "; ".join(problems)
                    )
                else:
                    self.stdout.write(
                        f"The application's role {role} may read and write; on the audit log "
                        "it may only read and add."
                    )
