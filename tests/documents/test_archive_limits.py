"""Zip bombs (#18 item 12): an OpenDocument or Word upload is judged from its central directory
and at most a few bytes of one member, so a small file that expands to hundreds of megabytes, or
holds thousands of members, is refused naming the field ``file`` without being expanded."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tarian.agencies.models import User
from tarian.documents import files, services
from tarian.documents.models import Document
from tarian.errors import Refused
from tarian.people.models import Person

ODT_TYPE = files.ODT.content_type.encode()
EXPANDS_TO = 300 * 1024 * 1024  # what the bomb's member holds once decompressed
CHUNK = b"\0" * (1024 * 1024)
# Recognising a file may hold the upload and a little more; the bombs below hold 300 MB.
MEMORY_BUDGET = 16 * 1024 * 1024


def write_zeros(
    archive: zipfile.ZipFile,
    name: str,
    prefix: bytes = b"",
    *,
    compression: int = zipfile.ZIP_DEFLATED,
) -> None:
    """A member of ``prefix`` then zeros up to 300 MB, streamed (never held in memory)."""
    info = zipfile.ZipInfo(name)
    info.compress_type = compression
    with archive.open(info, "w", force_zip64=False) as member:
        member.write(prefix)
        for _ in range(EXPANDS_TO // len(CHUNK)):
            member.write(CHUNK)


def zip_bytes(build: Callable[[zipfile.ZipFile], None]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        build(archive)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def odt_bomb() -> bytes:
    """An OpenDocument-shaped file whose ``mimetype`` member decompresses to 300 MB."""
    return zip_bytes(lambda archive: write_zeros(archive, "mimetype", ODT_TYPE))


def understated(data: bytes, name: str, size: int) -> bytes:
    """The archive with ``name``'s uncompressed size written as ``size`` in its local header
    and central directory: a bomb that lies about what it holds."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<I", patched, info.header_offset + 22, size)
    directory = patched.index(b"PK\x01\x02", 0)
    while directory >= 0:
        name_length = struct.unpack_from("<H", patched, directory + 28)[0]
        if patched[directory + 46 : directory + 46 + name_length] == name.encode():
            struct.pack_into("<I", patched, directory + 24, size)
        directory = patched.find(b"PK\x01\x02", directory + 46)
    return bytes(patched)


def peak_memory(call: Callable[[], Any]) -> tuple[Any, int]:
    """What ``call`` returned (or the Refused it raised) and the most memory it held."""
    tracemalloc.start()
    try:
        try:
            result: Any = call()
        except Refused as refused:
            result = refused
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_is1_a_small_odt_whose_mimetype_expands_to_300_mb_is_refused_unexpanded(
    odt_bomb: bytes,
) -> None:
    assert len(odt_bomb) < 1024 * 1024
    result, peak = peak_memory(lambda: files.recognise(odt_bomb[:16], odt_bomb))
    assert isinstance(result, Refused)
    [message] = result.errors["file"]
    assert "expand to more than 200 MB" in message
    assert peak < MEMORY_BUDGET, f"held {peak:,} bytes to check a {len(odt_bomb):,}-byte file"


def test_is1_a_bomb_that_understates_its_size_is_read_a_few_bytes_only(odt_bomb: bytes) -> None:
    """The central directory says ``mimetype`` holds exactly the OpenDocument type; it really
    holds 300 MB. Nothing beyond the declared bytes is decompressed."""
    lying = understated(odt_bomb, "mimetype", len(ODT_TYPE))
    result, peak = peak_memory(lambda: files.recognise(lying[:16], lying))
    assert result in (files.ODT, None)
    assert peak < MEMORY_BUDGET, f"held {peak:,} bytes"


def test_is1_a_docx_whose_document_expands_to_300_mb_is_refused() -> None:
    def build(archive: zipfile.ZipFile) -> None:
        archive.writestr("[Content_Types].xml", "<Types/>")
        write_zeros(archive, "word/document.xml", b"<w:document>")

    bomb = zip_bytes(build)
    result, peak = peak_memory(lambda: files.recognise(bomb[:16], bomb))
    assert isinstance(result, Refused) and "expand to more than" in result.errors["file"][0]
    assert peak < MEMORY_BUDGET


def test_is1_a_mimetype_compressed_with_bzip2_is_not_inflated() -> None:
    """zipfile bounds each read's output for deflate only: a bzip2 member is not read."""
    data = zip_bytes(
        lambda archive: archive.writestr("mimetype", ODT_TYPE, compress_type=zipfile.ZIP_BZIP2)
    )
    assert files.recognise(data[:16], data) is None


@pytest.mark.parametrize("kind", ["odt", "docx"])
def test_is1_an_archive_with_thousands_of_members_is_refused(kind: str) -> None:
    def build(archive: zipfile.ZipFile) -> None:
        if kind == "odt":
            archive.writestr("mimetype", ODT_TYPE, compress_type=zipfile.ZIP_STORED)
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
        for number in range(files.MAX_ARCHIVE_MEMBERS):
            archive.writestr(f"Pictures/{number}.png", b"")

    data = zip_bytes(build)
    with pytest.raises(Refused) as refused:
        files.recognise(data[:16], data)
    assert refused.value.errors == {
        "file": [
            "The file holds more than 2000 parts, far more than a document does. Save it "
            "again from your word processor, or as a PDF"
        ]
    }


def test_is1_a_nested_bomb_inside_a_word_document_is_never_opened() -> None:
    """Word documents may embed other files; an embedded archive is not looked into, so a
    bomb inside one costs nothing to check."""
    inner = zip_bytes(lambda archive: write_zeros(archive, "zeros.bin"))

    def build(archive: zipfile.ZipFile) -> None:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/embeddings/package.zip", inner, compress_type=zipfile.ZIP_STORED)

    outer = zip_bytes(build)
    result, peak = peak_memory(lambda: files.recognise(outer[:16], outer))
    assert result == files.DOCX
    assert peak < MEMORY_BUDGET + len(outer)


def test_real_documents_are_still_recognised() -> None:
    def odt(archive: zipfile.ZipFile) -> None:
        archive.writestr("mimetype", ODT_TYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")

    def docx(archive: zipfile.ZipFile) -> None:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>" * 1000)

    assert files.recognise(b"PK\x03\x04", zip_bytes(odt)) == files.ODT
    assert files.recognise(b"PK\x03\x04", zip_bytes(docx)) == files.DOCX
    not_quite = zip_bytes(lambda a: a.writestr("mimetype", ODT_TYPE + b"x"))
    assert files.recognise(b"PK\x03\x04", not_quite) is None


@pytest.mark.django_db
def test_is1_uploading_a_zip_bomb_is_refused_naming_the_file_and_stores_nothing(
    social_worker: User, child: Person, odt_bomb: bytes, private_upload_dir: Path
) -> None:
    with pytest.raises(Refused) as refused:
        services.upload_document(
            social_worker,
            person_ref=child.ref,
            title="",
            original_name="report.odt",
            stream=io.BytesIO(odt_bomb),
        )
    assert set(refused.value.errors) == {"title", "file"}
    assert "expand to more than 200 MB" in refused.value.errors["file"][0]
    assert not Document.objects.exists()
    assert not private_upload_dir.exists() or not any(private_upload_dir.iterdir())


def test_vc2_the_zip_bomb_refusal_is_in_welsh(odt_bomb: bytes) -> None:
    from django.utils import translation

    with translation.override("cy"), pytest.raises(Refused) as refused:
        files.recognise(odt_bomb[:16], odt_bomb)
    assert refused.value.errors["file"][0].startswith(
        "Byddai'r ffeil yn ehangu i fwy na 200 MB wrth ei hagor"
    )
