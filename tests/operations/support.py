"""Helpers for the backup tests: seed a small record, and fingerprint every table."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

from axes.models import AccessFailureLog
from django.utils import timezone

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.audit.services import record_access
from tarian.operations.manifest import Cursor, existing_tables, quote_identifier
from tarian.people import services


def seed_record(user: User) -> None:
    """People, an address, involvements (one ended), versions, audit events, a token, a failure."""
    child = services.create_person(
        user,
        data={
            "kind": "child",
            "given_name": "Nesta",
            "family_name": "Pryce",
            "date_of_birth": "2016-02-29",
            "nhs_number": "943 476 5919",
        },
        address={"line1": "2 Ffordd y Llan", "postcode": "LL77 7AB"},
    )
    services.create_person(
        user, data={"kind": "adult", "given_name": "Rhian", "family_name": "Pryce"}
    )
    services.create_person(
        user,
        data={
            "kind": "unborn",
            "family_name": "Pryce",
            # Expected dates must lie within ten months of today (tarian.core.dates).
            "expected_date": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert user.agency is not None
    involvement = services.add_involvement(
        user,
        person_ref=child.ref,
        agency_slug=user.agency.slug,
        role="social_worker",
        start_date=dt.date(2024, 9, 1),
    )
    services.end_involvement(
        user,
        involvement_id=involvement.pk,
        version=involvement.version,
        end_date=dt.date(2025, 1, 31),
        reason="Case closed",
    )
    services.add_involvement(
        user,
        person_ref=child.ref,
        agency_slug=user.agency.slug,
        role="early_help",
        start_date=dt.date(2025, 2, 1),
    )
    record_access(
        user,
        action="view",
        record_kind="person",
        record_id=child.ref,
        person_id=child.pk,
        detail={"why": "visit", "ünïcode": "ŵ"},
    )
    issue_token(user, name="case system", days=30)
    AccessFailureLog.objects.create(
        user_agent="test",
        ip_address="192.0.2.1",
        username="someone",
        http_accept="*/*",
        path_info="/login",
        locked_out=False,
    )


def fingerprints(cursor: Cursor, vendor: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a SHA-256 of all its rows, in an engine-neutral text form.

    Each row is turned into text by the database itself (``quote()`` on SQLite, ``row::text``
    on PostgreSQL), so the comparison does not depend on how a driver converts values.
    """
    result: dict[str, tuple[int, str]] = {}
    for table in sorted(existing_tables(cursor, vendor)):
        if table.startswith("sqlite_"):
            continue
        name = quote_identifier(table)
        if vendor == "sqlite":
            cursor.execute(f"PRAGMA table_info({name})")
            columns = [row[1] for row in cursor.fetchall()]
            expression = " || '|' || ".join(f"quote({quote_identifier(c)})" for c in columns)
            cursor.execute(f"SELECT {expression} FROM {name}")  # noqa: S608
        else:
            cursor.execute(f"SELECT t::text FROM {name} AS t")  # noqa: S608
        rows: list[Any] = sorted(str(row[0]) for row in cursor.fetchall())
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        result[table] = (len(rows), digest)
    return result


KEY_TABLES = (
    "people_person",
    "people_involvement",
    "people_address",
    "audit_accessevent",
    "audit_recordversion",
    "agencies_user",
    "api_apitoken",
    "axes_accessfailurelog",
)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload_documents(user: User) -> dict[int, bytes]:
    """Three documents of different kinds on a new child's record: id to the bytes uploaded."""
    from tarian.documents.services import upload_document

    child = services.create_person(
        user, data={"kind": "child", "given_name": "Siôn", "family_name": "Pryce"}
    )
    contents = {
        "School report.pdf": PDF + b"% report\n" * 200,
        "Visit notes.txt": "Ymweliad â'r cartref: popeth yn iawn.\n".encode() * 50,
        "Health visitor.pdf": PDF + bytes(range(256)) * 40,
    }
    uploaded: dict[int, bytes] = {}
    for name, data in contents.items():
        document = upload_document(
            user, person_ref=child.ref, title=name, original_name=name, stream=io.BytesIO(data)
        )
        uploaded[document.pk] = data
    return uploaded
