"""IS3, IS4 (#18 item 6): on PostgreSQL the application's own role cannot erase the audit log.

A database is set up as the README's deployment does it: an owner role that owns the database
and runs ``tarian migrate`` (``TARIAN_MIGRATE_DATABASE_URL``), and the runtime role in
``DATABASE_URL`` that the application runs as. Every statement that could change, empty or
silence the audit tables is then tried as the runtime role and must be refused by PostgreSQL,
while the application's ordinary work (commands, services, writing access events) goes on.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.core.management.color import no_style
from django.db import connection

from tarian.operations.postgres import PostgresTarget

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Deployment:
    owner: PostgresTarget
    runtime: PostgresTarget
    data_dir: Path

    def url(self, target: PostgresTarget) -> str:
        return (
            f"postgresql://{target.user}:{target.password}@{target.host or '127.0.0.1'}:"
            f"{target.port or 5432}/{target.name}"
        )

    def tarian(self, *args: str, as_owner_too: bool = True, database_url: str = "") -> str:
        """Run ``tarian ARGS`` as a deployment would; its output, or a failure with it."""
        result = self.run(*args, as_owner_too=as_owner_too, database_url=database_url)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr

    def run(
        self, *args: str, as_owner_too: bool = True, database_url: str = ""
    ) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_URL", "TARIAN_", "DJANGO_", "PYTEST"))
        }
        env.update(
            TARIAN_DEBUG="1",
            TARIAN_DATA_DIR=str(self.data_dir),
            DATABASE_URL=database_url or self.url(self.runtime),
            DJANGO_SETTINGS_MODULE="tarian.settings",
        )
        if as_owner_too:
            env["TARIAN_MIGRATE_DATABASE_URL"] = self.url(self.owner)
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "tarian.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Two roles and a database owned by the first, migrated as the README says."""
    suffix = secrets.token_hex(4)
    admin = PostgresTarget.from_settings(connection.settings_dict).with_name("postgres")
    owner = PostgresTarget(
        f"tarian_roles_{suffix}",
        f"tarian_owner_{suffix}",
        admin.host,
        admin.port,
        secrets.token_hex(8),
    )
    runtime = PostgresTarget(
        owner.name, f"tarian_app_{suffix}", admin.host, admin.port, secrets.token_hex(8)
    )
    with admin.connect(autocommit=True) as db:
        for role in (owner, runtime):
            db.execute(f"CREATE ROLE {role.user} LOGIN PASSWORD '{role.password}'")
        db.execute(f"CREATE DATABASE {owner.name} OWNER {owner.user}")
    try:
        found = Deployment(owner, runtime, tmp_path_factory.mktemp("deployment"))
        out = found.tarian("migrate")
        assert f"The application's role {runtime.user} may read and write" in out
        found.tarian(
            "create-agency", "--slug", "cs", "--name", "CS", "--type", "childrens_services"
        )
        found.tarian(
            "create-user",
            "--username",
            "owain",
            "--agency",
            "cs",
            "--role",
            "social_worker",
            "--password",
            "Gwenllian-Ffordd-2031",
        )
        found.tarian("shell", "-c", WRITE_A_RECORD)
        yield found
    finally:
        with admin.connect(autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {owner.name} WITH (FORCE)")
            for role in (runtime, owner):
                db.execute(f"DROP ROLE IF EXISTS {role.user}")


# The application's ordinary work, run as the runtime role through the services: a person is
# created (a record version and an access event), changed, and read back (another event).
WRITE_A_RECORD = """
from tarian.agencies.models import User
from tarian.people import selectors, services
user = User.objects.get(username="owain")
person = services.create_person(user, data={"kind": "child", "family_name": "Prydderch"})
services.update_person(user, ref=person.ref, version=person.version,
                       changes={"given_name": "Gwenllian"}, reason="Name given by school")
selectors.read_person(user, person.ref)
"""


def audit_rows(target: PostgresTarget) -> tuple[int, int]:
    with target.connect() as db:
        row = db.execute(
            "SELECT (SELECT COUNT(*) FROM audit_accessevent), "
            "(SELECT COUNT(*) FROM audit_recordversion)"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


ERASING = {
    "truncate the access log": "TRUNCATE audit_accessevent",
    "truncate the record versions": "TRUNCATE audit_recordversion CASCADE",
    "disable the trigger": "ALTER TABLE audit_accessevent DISABLE TRIGGER "
    "audit_accessevent_append_only",
    "disable every trigger": "ALTER TABLE audit_recordversion DISABLE TRIGGER ALL",
    "drop the trigger": "DROP TRIGGER audit_accessevent_append_only ON audit_accessevent",
    "replace the trigger's function": "CREATE OR REPLACE FUNCTION tarian_audit_refuse_change() "
    "RETURNS trigger AS $$ BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
    "drop the trigger's function": "DROP FUNCTION tarian_audit_refuse_change() CASCADE",
    "delete access events": "DELETE FROM audit_accessevent",
    "update access events": "UPDATE audit_accessevent SET username = 'someone else'",
    "delete record versions": "DELETE FROM audit_recordversion",
    "update record versions": "UPDATE audit_recordversion SET reason = 'rewritten'",
    "take the table over": "ALTER TABLE audit_accessevent OWNER TO CURRENT_USER",
    "drop the table": "DROP TABLE audit_accessevent",
    "rename the table away": "ALTER TABLE audit_accessevent RENAME TO old_log",
    "move the ids back": "SELECT setval(pg_get_serial_sequence('audit_accessevent', 'id'), 1)",
}


@pytest.mark.parametrize("statement", ERASING.values(), ids=ERASING.keys())
def test_is4_runtime_role_cannot_change_empty_or_silence_the_audit_log(
    deployment: Deployment, statement: str
) -> None:
    before = audit_rows(deployment.owner)
    assert before[0] >= 2 and before[1] >= 2, "the record's work wrote no audit rows"
    with deployment.runtime.connect() as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute(statement)
    assert audit_rows(deployment.owner) == before


def test_is4_tarian_flush_cannot_truncate_the_audit_log_as_the_runtime_role(
    deployment: Deployment,
) -> None:
    before = audit_rows(deployment.owner)
    result = deployment.run("flush", "--no-input")
    assert result.returncode != 0
    assert "couldn't be flushed" in result.stderr
    assert audit_rows(deployment.owner) == before
    # What flush sends, sent straight to the database, is refused too.
    with deployment.runtime.connect() as db:
        tables = [
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        assert "audit_accessevent" in tables
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                db.execute(sql)
    assert audit_rows(deployment.owner) == before


def test_is4_runtime_role_adds_to_and_reads_the_audit_log_and_does_ordinary_work(
    deployment: Deployment,
) -> None:
    before = audit_rows(deployment.owner)
    deployment.tarian("shell", "-c", WRITE_A_RECORD)
    after = audit_rows(deployment.owner)
    assert after[0] >= before[0] + 2 and after[1] == before[1] + 2
    with deployment.runtime.connect() as db:
        db.execute(
            "INSERT INTO audit_accessevent (at, username, user_display, agency_slug, "
            "agency_name, action, record_kind, record_id, channel, route, purpose, detail) "
            "VALUES (now(), 'system', 'Tarian', '', '', 'view', 'person', 'T1', 'command', "
            "'', '', '{}')"
        )
        db.execute("UPDATE agencies_agency SET name = 'Children''s Services' WHERE slug = 'cs'")
        db.execute("DELETE FROM django_session")
        [(events,)] = db.execute("SELECT COUNT(*) FROM audit_accessevent").fetchall()
    assert events == after[0] + 1


def test_is4_grants_are_applied_again_after_every_migrate(deployment: Deployment) -> None:
    """A table a later release adds is usable by the runtime role once ``migrate`` has run;
    the audit tables stay read-and-insert only."""
    with deployment.owner.connect() as db:
        db.execute("CREATE TABLE later_release (id bigserial PRIMARY KEY, note text)")
    with deployment.runtime.connect() as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("INSERT INTO later_release (note) VALUES ('before')")

    deployment.tarian("migrate")

    with deployment.runtime.connect() as db:
        db.execute("INSERT INTO later_release (note) VALUES ('after')")
        assert db.execute("SELECT note FROM later_release").fetchall() == [("after",)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("TRUNCATE later_release")
    with deployment.runtime.connect() as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("DELETE FROM audit_accessevent")


def test_is4_check_deploy_warns_when_the_application_runs_as_the_owner(
    deployment: Deployment,
) -> None:
    as_runtime = deployment.run("check", "--deploy", "--tag", "security")
    assert "tarian.W001" not in as_runtime.stdout + as_runtime.stderr
    as_owner = deployment.run(
        "check",
        "--deploy",
        "--tag",
        "security",
        as_owner_too=False,
        database_url=deployment.url(deployment.owner),
    )
    output = as_owner.stdout + as_owner.stderr
    assert "tarian.W001" in output
    assert f"the role {deployment.owner.user} owns audit_accessevent" in output


def test_is4_backup_runs_as_the_runtime_role_and_restore_grants_it_again(
    deployment: Deployment,
) -> None:
    """``tarian backup`` needs only reading; ``tarian restore`` recreates the tables as their
    owner and leaves the runtime role able to work and still unable to erase the audit log."""
    out = deployment.tarian("backup", "--output", str(deployment.data_dir / "b.pgdump"))
    assert "Backed up to" in out
    before = audit_rows(deployment.owner)

    out = deployment.tarian("restore", str(deployment.data_dir / "b.pgdump"), "--yes")

    assert "Row counts and migrations match the backup's manifest." in out
    assert audit_rows(deployment.owner) == before
    deployment.tarian("shell", "-c", WRITE_A_RECORD)
    with deployment.runtime.connect() as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("TRUNCATE audit_accessevent")
    with deployment.owner.connect() as db:
        [(owner,)] = db.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'audit_accessevent'"
        ).fetchall()
    assert owner == deployment.owner.user
