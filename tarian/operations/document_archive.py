"""The uploaded documents of a backup: an archive beside it, each file's checksum in the manifest.

issue #18 item 8 (IS3: nothing lost). A backup is the database and the documents its rows
refer to. The list of documents is read from the backed-up database itself (in the same
snapshot as the dump on PostgreSQL), so the archive holds exactly the files that the database
in the backup names, however many are uploaded while it is taken: a file is written before its
row is committed and never changed afterwards.

``<backup>.documents.tar`` (mode 0600, uncompressed: documents are compressed already) holds
one member per stored file, named as in ``TARIAN_UPLOAD_DIR``. The manifest records the
archive's SHA-256 and each file's name, size and SHA-256. A restore checks all of them before
anything is changed, refuses a backup whose documents do not match, and writes each file back
only after its content has been checked again as it is written.
"""

from __future__ import annotations

import hashlib
import os
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tarian.operations.manifest import file_digest

ARCHIVE_SUFFIX = ".documents.tar"
# Stored names are ``<32 hex digits>.<extension>`` (tarian.documents.services); nothing else
# is ever written into the upload folder from an archive.
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z0-9]{1,8}$")
CHUNK_BYTES = 1024 * 1024


class ArchiveRefused(Exception):
    """The documents of a backup cannot be trusted or written: the message says why."""


@dataclass(frozen=True)
class StoredDocument:
    """A document row as the backed-up database has it."""

    name: str
    sha256: str
    size_bytes: int


@dataclass
class ArchiveResult:
    path: Path
    manifest: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def archive_path(backup_path: Path) -> Path:
    return backup_path.with_name(backup_path.name + ARCHIVE_SUFFIX)


class _Hashing:
    """A file object that hashes what is read through it (tarfile reads it once)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def write_archive(
    backup_path: Path, documents: list[StoredDocument], upload_dir: Path
) -> ArchiveResult:
    """Archive each listed document's file from ``upload_dir`` beside the backup.

    A file that is missing, or whose content no longer matches the checksum recorded when it
    was uploaded, is reported (and a changed one archived as it is): the backup goes ahead."""
    path = archive_path(backup_path)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)
    path.chmod(0o600)
    files: list[dict[str, Any]] = []
    missing: list[str] = []
    changed: list[str] = []
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        for document in sorted(documents, key=lambda d: d.name):
            source = upload_dir / document.name
            if not STORED_NAME.match(document.name) or not source.is_file():
                missing.append(document.name)
                continue
            info = tarfile.TarInfo(document.name)
            info.size = source.stat().st_size
            info.mode = 0o600
            with source.open("rb") as stream:
                hashing = _Hashing(stream)
                archive.addfile(info, hashing)
            digest = hashing.digest.hexdigest()
            if digest != document.sha256:
                changed.append(document.name)
            files.append({"name": document.name, "size_bytes": info.size, "sha256": digest})
    warnings = []
    if missing:
        warnings.append(
            f"{len(missing)} document(s) the database lists have no file in {upload_dir} and "
            f"are not in the backup: {', '.join(missing[:10])}"
        )
    if changed:
        warnings.append(
            f"{len(changed)} document(s) in {upload_dir} differ from the checksum recorded at "
            f"upload (archived as found): {', '.join(changed[:10])}"
        )
    manifest = {
        "archive": path.name,
        "size_bytes": path.stat().st_size,
        "sha256": file_digest(path),
        "files": files,
        "missing": missing,
    }
    return ArchiveResult(path, manifest, warnings)


def _members(
    archive: tarfile.TarFile, listed: dict[str, dict[str, Any]], path: Path
) -> Iterator[tuple[tarfile.TarInfo, dict[str, Any]]]:
    seen: set[str] = set()
    for member in archive:
        entry = listed.get(member.name)
        if entry is None or not member.isreg() or member.name in seen:
            raise ArchiveRefused(
                f"{path} holds {member.name!r}, which its manifest does not list as a document"
            )
        seen.add(member.name)
        yield member, entry
    absent = sorted(set(listed) - seen)
    if absent:
        raise ArchiveRefused(
            f"{path} lacks {len(absent)} document(s) its manifest lists: {', '.join(absent[:10])}"
        )


def _copy_checked(
    source: IO[bytes], entry: dict[str, Any], path: Path, target: IO[bytes] | None = None
) -> None:
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: source.read(CHUNK_BYTES), b""):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    if digest.hexdigest() != entry["sha256"] or size != entry["size_bytes"]:
        raise ArchiveRefused(
            f"The document {entry['name']} in {path} does not match its SHA-256 checksum in "
            "the manifest: the backup's documents have been changed or damaged since it was "
            "taken"
        )


def check_archive(backup_path: Path, documents: dict[str, Any]) -> None:
    """Refuse an archive that is missing, altered, or whose files differ from the manifest."""
    path = archive_path(backup_path)  # beside the backup, under its name (renamed with it)
    if not path.is_file():
        raise ArchiveRefused(
            f"The backup's documents ({archive_path(backup_path).name}) are not beside it: a "
            "backup is the database file, its .documents.tar and its manifest, kept together"
        )
    if file_digest(path) != documents["sha256"]:
        raise ArchiveRefused(
            f"{path} does not match the SHA-256 digest in its manifest: the backup's documents "
            "have been changed or damaged since it was taken"
        )
    listed = {str(entry["name"]): entry for entry in documents["files"]}
    if any(not STORED_NAME.match(name) for name in listed):
        raise ArchiveRefused(f"The manifest of {path} lists a document with an unsafe name")
    try:
        with tarfile.open(path, "r:") as archive:
            for member, entry in _members(archive, listed, path):
                stream = archive.extractfile(member)
                assert stream is not None
                _copy_checked(stream, entry, path)
    except tarfile.TarError as exc:
        raise ArchiveRefused(f"{path} cannot be read as an archive: {exc}") from exc


def restore_archive(backup_path: Path, documents: dict[str, Any], upload_dir: Path) -> int:
    """Write each document of a checked archive into ``upload_dir``; how many were written.

    Each file goes to a temporary name first and replaces its final name only after its
    content matched the manifest. A file already there with the right content is left."""
    path = archive_path(backup_path)
    listed = {str(entry["name"]): entry for entry in documents["files"]}
    upload_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = 0
    with tarfile.open(path, "r:") as archive:
        for member, entry in _members(archive, listed, path):
            final = upload_dir / member.name
            if final.is_file() and file_digest(final) == entry["sha256"]:
                continue
            partial = upload_dir / f".restoring-{member.name}"
            stream = archive.extractfile(member)
            assert stream is not None
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                with os.fdopen(descriptor, "wb") as target:
                    _copy_checked(stream, entry, path, target)
                os.replace(partial, final)
            finally:
                partial.unlink(missing_ok=True)
            final.chmod(0o600)
            written += 1
    return written
