"""Uploads: limited by kind and size, stored privately, served only through a permission check."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.audit.models import AccessEvent
from tarian.documents import services
from tarian.documents.models import Document
from tarian.errors import NotFound, Refused
from tarian.people.models import Person
from tests.clients import signed_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_upload_stores_privately_and_audits(social_worker: User, child: Person,
                                            private_upload_dir: Path) -> None:
    document = services.upload_document(
        social_worker, person_ref=child.ref, title=" School report ", original_name="../r.pdf",
        stream=io.BytesIO(PDF),
    )
    assert document.title == "School report" and document.original_name == "r.pdf"
    stored = private_upload_dir / document.stored_name
    assert stored.read_bytes() == PDF and oct(stored.stat().st_mode & 0o777) == "0o600"
    assert "r.pdf" not in document.stored_name
    assert AccessEvent.objects.filter(record_kind="document", action="create").exists()


def test_word_documents_are_recognised_by_content(social_worker: User, child: Person) -> None:
    document = services.upload_document(social_worker, person_ref=child.ref, title="Plan",
                                        original_name="plan.pdf", stream=io.BytesIO(docx()))
    assert document.content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    "payload", [b"MZ\x90\x00 executable", b"<html><script>alert(1)</script></html>", b"\x00\x01"]
)
def test_disallowed_kinds_are_refused_whatever_their_name(
    social_worker: User, child: Person, payload: bytes, private_upload_dir: Path
) -> None:
    with pytest.raises(Refused) as refused:
        services.upload_document(social_worker, person_ref=child.ref, title="x",
                                 original_name="report.pdf", stream=io.BytesIO(payload))
    assert "file" in refused.value.errors
    assert not Document.objects.exists()
    assert not any(private_upload_dir.glob("*")) if private_upload_dir.exists() else True


def test_oversized_upload_is_refused(social_worker: User, child: Person, settings: object) -> None:
    settings.TARIAN_UPLOAD_MAX_MB = 1  # type: ignore[attr-defined]
    with pytest.raises(Refused) as refused:
        services.upload_document(social_worker, person_ref=child.ref, title="big",
                                 original_name="big.pdf",
                                 stream=io.BytesIO(PDF + b"0" * (1024 * 1024)))
    assert "smaller than 1 MB" in refused.value.errors["file"][0]


def test_missing_title_and_empty_file_named_together(social_worker: User, child: Person) -> None:
    with pytest.raises(Refused) as refused:
        services.upload_document(social_worker, person_ref=child.ref, title=" ",
                                 original_name="a.pdf", stream=io.BytesIO(b""))
    assert set(refused.value.errors) == {"title", "file"}


def test_is1_outsider_can_neither_upload_nor_download(
    social_worker: User, other_school_dsl: User, child: Person
) -> None:
    document = services.upload_document(social_worker, person_ref=child.ref, title="Report",
                                        original_name="r.pdf", stream=io.BytesIO(PDF))
    with pytest.raises(NotFound):
        services.open_document(other_school_dsl, document.pk)
    with pytest.raises(NotFound):
        services.upload_document(other_school_dsl, person_ref=child.ref, title="x",
                                 original_name="x.pdf", stream=io.BytesIO(PDF))
    assert signed_in(other_school_dsl).get(f"/documents/{document.pk}").status_code == 404


def test_web_upload_then_download_with_safe_headers(school_dsl: User, child: Person) -> None:
    client = signed_in(school_dsl)
    response = client.post(
        f"/people/{child.ref}/documents/new",
        {"title": "Attendance record", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 302
    page = client.get(f"/people/{child.ref}").content.decode()
    assert "Attendance record" in page
    document = Document.objects.get()
    download = client.get(f"/documents/{document.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download["Content-Security-Policy"]


def test_web_upload_errors_are_named(school_dsl: User, child: Person) -> None:
    html = signed_in(school_dsl).post(
        f"/people/{child.ref}/documents/new",
        {"title": "", "file": SimpleUploadedFile("a.exe", b"MZ\x90\x00")},
    ).content.decode()
    assert "govuk-error-summary" in html and "Enter a title" in html


def test_api_upload_list_and_download(social_worker: User, child: Person) -> None:
    client = Client(headers={"authorization": f"Bearer {issue_token(social_worker)}"})
    created = client.post(f"/api/v1/people/{child.ref}/documents",
                          {"title": "Medical", "file": SimpleUploadedFile("m.pdf", PDF)})
    assert created.status_code == 201, created.content
    listed = client.get(f"/api/v1/people/{child.ref}/documents").json()
    assert listed["count"] == 1
    content = client.get(f"/api/v1/documents/{created.json()['id']}/content")
    assert b"".join(content.streaming_content) == PDF  # type: ignore[attr-defined]
    bad = client.post(f"/api/v1/people/{child.ref}/documents",
                      {"title": "", "file": SimpleUploadedFile("m.pdf", b"")})
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"title", "file"}
