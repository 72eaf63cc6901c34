"""IS3 (#18 item 8): a backup holds the uploaded documents, and a restore puts them back.

Restored into a fresh data directory, every document uploaded before the backup downloads
with the same bytes. A backup whose documents are missing or do not match the checksums in its
manifest is refused before anything is changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import stat
import tarfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tarian.agencies.models import User
from tarian.documents.models import Document
from tarian.operations import backup
from tests.clients import signed_in
from tests.operations.support import upload_documents
from tests.operations.test_backup import NOW, live_sqlite_file

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path")
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL path")
committed = pytest.mark.usefixtures(
    "migration_data_restored", "transactional_db", "django_db_serialized_rollback"
)


def downloads(user: User, uploaded: dict[int, bytes]) -> dict[int, bytes]:
    """What each document downloads as now, through the page a practitioner uses."""
    client = signed_in(user)
    found: dict[int, bytes] = {}
    for document_id in uploaded:
        response = client.get(f"/documents/{document_id}")
        assert response.status_code == 200, (document_id, response.status_code)
        found[document_id] = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return found


def fresh_data_directory(settings: Any, root: Path) -> Path:
    settings.DATA_DIR = root
    settings.TARIAN_UPLOAD_DIR = root / "uploads"
    settings.TARIAN_BACKUP_DIR = None
    return root


@on_sqlite
@committed
def test_is3_sqlite_backup_holds_documents_and_restore_into_a_fresh_directory_serves_them(
    social_worker: User, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    uploaded = upload_documents(social_worker)
    live = live_sqlite_file(tmp_path / "live.sqlite3")
    monkeypatch.setattr(
        backup,
        "configured_database",
        lambda: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(live)},
    )
    out = StringIO()
    call_command("backup", output=str(tmp_path / "b.sqlite3"), stdout=out)

    made = tmp_path / "b.sqlite3"
    archive = tmp_path / "b.sqlite3.documents.tar"
    assert f"Documents: 3 in {archive}" in out.getvalue()
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    manifest = json.loads(Path(f"{made}.json").read_text())
    files = {entry["name"]: entry for entry in manifest["documents"]["files"]}
    for document in Document.objects.all():
        entry = files[document.stored_name]
        assert entry["sha256"] == hashlib.sha256(uploaded[document.pk]).hexdigest()
        assert entry["size_bytes"] == len(uploaded[document.pk])
    assert manifest["row_counts"]["documents.Document"] == 3

    # A fresh data directory: no database, no uploads. Restore there, then open it.
    fresh = fresh_data_directory(settings, tmp_path / "fresh")
    restored = fresh / "tarian.sqlite3"
    monkeypatch.setattr(
        backup,
        "configured_database",
        lambda: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(restored)},
    )
    out = StringIO()
    call_command("restore", str(made), yes=True, stdout=out)
    assert "Documents: 3 checked against the manifest, 3 written to the upload folder." in (
        out.getvalue()
    )
    with sqlite3.connect(restored) as source:
        source.backup(connection.connection)  # the service starting on the restored database

    assert downloads(social_worker, uploaded) == uploaded
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in (fresh / "uploads").iterdir())


@on_postgres
@committed
def test_is3_postgres_backup_holds_documents_and_restore_into_a_fresh_directory_serves_them(
    social_worker: User, tmp_path: Path, settings: Any
) -> None:
    uploaded = upload_documents(social_worker)
    settings.DATA_DIR = tmp_path / "data"
    call_command("backup", output=str(tmp_path / "b.pgdump"), stdout=StringIO())
    manifest = json.loads((tmp_path / "b.pgdump.json").read_text())
    assert len(manifest["documents"]["files"]) == 3
    Document.objects.all().delete()

    fresh_data_directory(settings, tmp_path / "fresh")
    out = StringIO()
    call_command("restore", str(tmp_path / "b.pgdump"), yes=True, stdout=out)

    assert "3 written to the upload folder" in out.getvalue()
    assert Document.objects.count() == 3
    assert downloads(social_worker, uploaded) == uploaded


# Refusals: a small SQLite database standing in as the live one, with document rows -----------


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_upload_dir: Path) -> Path:
    """A database with two document rows, and their files in the upload folder."""
    path = tmp_path / "live.sqlite3"
    private_upload_dir.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE documents_document (id INTEGER PRIMARY KEY, stored_name TEXT, "
            "sha256 TEXT, size_bytes INTEGER)"
        )
        for number, content in enumerate([b"first document", b"second document"]):
            name = f"{number:032x}.pdf"
            (private_upload_dir / name).write_bytes(content)
            db.execute(
                "INSERT INTO documents_document (stored_name, sha256, size_bytes) VALUES (?, ?, ?)",
                (name, hashlib.sha256(content).hexdigest(), len(content)),
            )
    db.close()
    monkeypatch.setattr(
        backup,
        "configured_database",
        lambda: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)},
    )
    monkeypatch.setattr(backup, "backup_directory", lambda: tmp_path / "safety")
    return path


@pytest.fixture
def made(live: Path, tmp_path: Path) -> Path:
    database = backup.configured_database()
    return backup.make_backup(database=database, now=NOW, output=tmp_path / "b.sqlite3").path


def rewrite_archive(made: Path, contents: dict[str, bytes]) -> None:
    archive = Path(f"{made}.documents.tar")
    archive.unlink()
    with tarfile.open(archive, "w") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def reseal_manifest(made: Path) -> None:
    """Make the manifest's digest of the archive agree with the archive as it now is (damage
    or tampering that also reached the manifest): each file's checksum must still catch it."""
    manifest_path = Path(f"{made}.json")
    manifest = json.loads(manifest_path.read_text())
    archive = Path(f"{made}.documents.tar")
    manifest["documents"]["sha256"] = hashlib.sha256(archive.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))


def state(private_upload_dir: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(private_upload_dir.iterdir())}


def test_is3_restore_refuses_a_backup_whose_documents_archive_is_missing(
    made: Path, private_upload_dir: Path
) -> None:
    before = state(private_upload_dir)
    Path(f"{made}.documents.tar").unlink()
    with pytest.raises(
        CommandError,
        match=r"documents \(b\.sqlite3\.documents\.tar\) are not "
        "beside it",
    ):
        call_command("restore", str(made), yes=True)
    assert state(private_upload_dir) == before


def test_is3_restore_refuses_a_documents_archive_changed_since_its_manifest(
    made: Path, private_upload_dir: Path
) -> None:
    rewrite_archive(
        made, {f"{0:032x}.pdf": b"first document, altered", f"{1:032x}.pdf": b"second document"}
    )
    with pytest.raises(CommandError, match=r"documents\.tar does not match the SHA-256 digest"):
        call_command("restore", str(made), yes=True)


def test_is3_restore_refuses_a_document_that_does_not_match_its_checksum(
    made: Path, live: Path, private_upload_dir: Path
) -> None:
    (private_upload_dir / f"{1:032x}.pdf").unlink()
    before = state(private_upload_dir)
    rewrite_archive(
        made, {f"{0:032x}.pdf": b"first document, altered", f"{1:032x}.pdf": b"second document"}
    )
    reseal_manifest(made)
    with pytest.raises(
        CommandError,
        match=rf"The document {0:032x}\.pdf in .* does not match its SHA-256 checksum",
    ):
        call_command("restore", str(made), yes=True)
    assert state(private_upload_dir) == before  # nothing written, nothing restored


def test_is3_restore_refuses_an_archive_lacking_a_listed_document(
    made: Path, private_upload_dir: Path
) -> None:
    rewrite_archive(made, {f"{0:032x}.pdf": b"first document"})
    reseal_manifest(made)
    with pytest.raises(
        CommandError,
        match=rf"lacks 1 document\(s\) its manifest lists: "
        rf"{1:032x}\.pdf",
    ):
        call_command("restore", str(made), yes=True)


def test_is3_restore_refuses_an_archive_holding_a_file_the_manifest_does_not_list(
    made: Path, private_upload_dir: Path
) -> None:
    rewrite_archive(
        made,
        {
            f"{0:032x}.pdf": b"first document",
            f"{1:032x}.pdf": b"second document",
            "../../outside.txt": b"escape",
        },
    )
    reseal_manifest(made)
    with pytest.raises(
        CommandError,
        match=r"holds '\.\./\.\./outside\.txt', which its "
        "manifest does not list",
    ):
        call_command("restore", str(made), yes=True)
    assert not (private_upload_dir.parent.parent / "outside.txt").exists()


def test_is3_restore_puts_back_lost_documents_and_keeps_a_safety_copy(
    made: Path, tmp_path: Path, private_upload_dir: Path
) -> None:
    lost = private_upload_dir / f"{1:032x}.pdf"
    lost.unlink()
    out = StringIO()
    call_command("restore", str(made), yes=True, stdout=out)
    assert lost.read_bytes() == b"second document"
    assert "2 checked against the manifest, 1 written" in out.getvalue()
    [safety] = (tmp_path / "safety").glob("pre-restore-*.sqlite3")
    safety_manifest = json.loads(Path(f"{safety}.json").read_text())
    assert safety_manifest["documents"]["missing"] == [lost.name]


def test_is3_backup_warns_about_a_document_whose_file_is_missing(
    live: Path, tmp_path: Path, private_upload_dir: Path
) -> None:
    (private_upload_dir / f"{0:032x}.pdf").unlink()
    err = StringIO()
    call_command("backup", output=str(tmp_path / "b.sqlite3"), stdout=StringIO(), stderr=err)
    assert f"1 document(s) the database lists have no file in {private_upload_dir}" in (
        err.getvalue()
    )
    with tarfile.open(tmp_path / "b.sqlite3.documents.tar") as tar:
        assert tar.getnames() == [f"{1:032x}.pdf"]


def test_is3_a_backup_from_before_documents_restores_with_a_warning(
    made: Path, private_upload_dir: Path
) -> None:
    manifest_path = Path(f"{made}.json")
    manifest = json.loads(manifest_path.read_text())
    del manifest["documents"]
    manifest_path.write_text(json.dumps({**manifest, "format": 1}))
    err = StringIO()
    call_command("restore", str(made), yes=True, stdout=StringIO(), stderr=err)
    assert "This backup holds no documents" in err.getvalue()


def test_is3_backup_refuses_to_overwrite_a_documents_archive(live: Path, tmp_path: Path) -> None:
    Path(tmp_path / "b.sqlite3.documents.tar").write_text("precious")
    with pytest.raises(CommandError, match=r"documents\.tar already exists"):
        call_command("backup", output=str(tmp_path / "b.sqlite3"))
    assert not (tmp_path / "b.sqlite3").exists()


def test_is3_a_backup_renamed_with_its_documents_and_manifest_still_restores(
    made: Path, tmp_path: Path, private_upload_dir: Path
) -> None:
    renamed = tmp_path / "copied-offsite.sqlite3"
    for suffix in ("", ".json", ".documents.tar"):
        Path(f"{made}{suffix}").rename(f"{renamed}{suffix}")
    lost = private_upload_dir / f"{0:032x}.pdf"
    lost.unlink()
    call_command("restore", str(renamed), yes=True, stdout=StringIO())
    assert lost.read_bytes() == b"first document"
