"""On PostgreSQL: trigram indexes on folded names for the matcher's candidate search (FD6).

Needs the ``pg_trgm`` extension (shipped with PostgreSQL; creating it needs a role allowed to,
see docs/security.md). Nothing happens on SQLite, where the blocking keys do this work.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_family_trgm ON people_person "
    "USING gin (family_name_folded gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS alias_family_trgm ON people_personname "
    "USING gin (family_name_folded gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS alias_family_trgm",
    "DROP INDEX IF EXISTS person_family_trgm",
]


def forward(apps: object, schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    if connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)  # type: ignore[attr-defined]


def backward(apps: object, schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    if connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)  # type: ignore[attr-defined]


class Migration(migrations.Migration):
    dependencies = [("people", "0003_matching_and_merges")]
    operations = [migrations.RunPython(forward, backward)]
