"""What may be uploaded: a short list of document and image types, recognised by their bytes.

The name and the browser's declared type are not trusted: the first bytes of the file decide.

OpenDocument and Word files are zip archives. A small archive can expand to gigabytes (a "zip
bomb": #18 saw a 1 MB upload drive a worker to 2.2 GB), so an archive is judged from its
central directory before anything in it is decompressed: at most ``MAX_ARCHIVE_MEMBERS``
members, a central directory of at most ``MAX_CENTRAL_DIRECTORY_BYTES``, and at most
``MAX_ARCHIVE_UNCOMPRESSED_BYTES`` in all by the sizes it declares; a file over any of them is
refused naming the field ``file``. Recognising the kind then reads at most a few bytes of one
member (``mimetype``), however large that member really is, and never opens a nested archive.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from typing import NoReturn

from django.utils.translation import gettext as _

from tarian.errors import Refused


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


PDF = FileKind("application/pdf", "pdf", "PDF")
PNG = FileKind("image/png", "png", "PNG image")
JPEG = FileKind("image/jpeg", "jpg", "JPEG image")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    "Word document",
)
ODT = FileKind("application/vnd.oasis.opendocument.text", "odt", "OpenDocument text")
TEXT = FileKind("text/plain", "txt", "plain text")
ALLOWED = (PDF, DOCX, ODT, PNG, JPEG, TEXT)


# An office document has tens of members (a long report with many pictures, a few hundred) and
# expands to a few times its size; these limits are far above both.
MAX_ARCHIVE_MEMBERS = 2000
MAX_CENTRAL_DIRECTORY_BYTES = 1024 * 1024
MAX_ARCHIVE_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
END_RECORD_BYTES = 22
ZIP64_MARKERS = (0xFFFF, 0xFFFFFFFF)


def recognise(head: bytes, whole: bytes) -> FileKind | None:
    """The kind of file these bytes are, or None if it is not one Tarian accepts.

    Raises ``Refused`` (field ``file``) for an archive over the limits above."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office(whole)
    return TEXT if _is_text(whole) else None


def _office(data: bytes) -> FileKind | None:
    if not _central_directory_within_limits(data):
        return None
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
            _check_declared_sizes(members)
            names = {member.filename for member in members}
            if _starts_exactly(archive, "mimetype", ODT.content_type.encode()):
                return ODT
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return DOCX
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        ValueError,
        zlib.error,
    ):
        return None
    return None


def _central_directory_within_limits(data: bytes) -> bool:
    """Check the archive's end record before ``zipfile`` reads its central directory (whose
    every entry becomes an object in memory): False if there is no readable end record."""
    found = data.rfind(END_OF_CENTRAL_DIRECTORY, max(0, len(data) - 65536 - END_RECORD_BYTES))
    if found < 0 or len(data) - found < END_RECORD_BYTES:
        return False
    entries, directory_bytes = struct.unpack_from("<HI", data, found + 10)
    if entries in ZIP64_MARKERS or directory_bytes in ZIP64_MARKERS:
        # Only an archive of 65,535 members or 4 GB needs ZIP64: never a document.
        _refuse_members()
    if entries > MAX_ARCHIVE_MEMBERS or directory_bytes > MAX_CENTRAL_DIRECTORY_BYTES:
        _refuse_members()
    return True


def _check_declared_sizes(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ARCHIVE_MEMBERS:
        _refuse_members()
    if sum(member.file_size for member in members) > MAX_ARCHIVE_UNCOMPRESSED_BYTES:
        raise Refused(
            "file",
            _(
                "The file would expand to more than %(size)s MB when opened, far more than a "
                "document does. Save it again from your word processor, or as a PDF"
            )
            % {"size": MAX_ARCHIVE_UNCOMPRESSED_BYTES // (1024 * 1024)},
        )


def _refuse_members() -> NoReturn:
    raise Refused(
        "file",
        _(
            "The file holds more than %(count)s parts, far more than a document does. Save it "
            "again from your word processor, or as a PDF"
        )
        % {"count": MAX_ARCHIVE_MEMBERS},
    )


def _starts_exactly(archive: zipfile.ZipFile, name: str, expected: bytes) -> bool:
    """True if the member ``name`` holds exactly ``expected``: at most one byte more than that
    is decompressed, whatever size the member declares or really has."""
    try:
        member = archive.getinfo(name)
    except KeyError:
        return False
    if member.file_size != len(expected):
        return False
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # zipfile bounds what it inflates per read only for these two; a few bytes of bzip2
        # or LZMA can decompress to megabytes in one call. OpenDocument stores it uncompressed.
        return False
    with archive.open(member) as stream:
        return stream.read(len(expected) + 1) == expected


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "<script" not in text.lower() and "<html" not in text.lower()
