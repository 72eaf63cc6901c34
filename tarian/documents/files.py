"""What may be uploaded: a short list of document and image types, recognised by their bytes.

The name and the browser's declared type are not trusted: the first bytes of the file decide.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


PDF = FileKind("application/pdf", "pdf", "PDF")
PNG = FileKind("image/png", "png", "PNG image")
JPEG = FileKind("image/jpeg", "jpg", "JPEG image")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
    "Word document",
)
ODT = FileKind("application/vnd.oasis.opendocument.text", "odt", "OpenDocument text")
TEXT = FileKind("text/plain", "txt", "plain text")
ALLOWED = (PDF, DOCX, ODT, PNG, JPEG, TEXT)


def recognise(head: bytes, whole: bytes) -> FileKind | None:
    """The kind of file these bytes are, or None if it is not one Tarian accepts."""
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
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype") == ODT.content_type.encode():
                return ODT
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "<script" not in text.lower() and "<html" not in text.lower()
