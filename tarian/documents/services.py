"""Uploading and reading documents on a person's record (IS1, IS4; issue: security baseline).

Uploads are limited by kind (recognised from their bytes) and size, stored under a random name
in ``TARIAN_UPLOAD_DIR`` (outside anything the web server serves), and read back only through
``open_document``, which applies the same access rules as the person's record and audits it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_access
from tarian.documents.files import ALLOWED, recognise
from tarian.documents.models import Document
from tarian.errors import Forbidden, NotFound, Refused
from tarian.people.selectors import people_for, person_for


def upload_dir() -> Path:
    path = Path(settings.TARIAN_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _max_bytes() -> int:
    return int(settings.TARIAN_UPLOAD_MAX_MB) * 1024 * 1024


def _read_limited(stream: IO[bytes]) -> bytes:
    limit = _max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise Refused(
            "file",
            _("The file must be smaller than %(size)s MB")
            % {"size": settings.TARIAN_UPLOAD_MAX_MB},
        )
    return data


@transaction.atomic
def upload_document(
    user: User, *, person_ref: str, title: str, original_name: str, stream: IO[bytes]
) -> Document:
    if scope_for(user, RecordKind.DOCUMENT, Action.WRITE) == Scope.NONE:
        raise Forbidden("document:write")
    person = people_for(user, Action.WRITE).filter(ref=person_ref).first()
    if person is None:
        raise NotFound(person_ref)
    errors: dict[str, list[str]] = {}
    clean_title = " ".join(title.split())[:200]
    if not clean_title:
        errors["title"] = [_("Enter a title, for example 'School report, March 2026'")]
    data = b""
    try:
        data = _read_limited(stream)
    except Refused as refused:
        errors.update(refused.errors)
    kind = None
    if not errors.get("file"):
        if not data:
            errors["file"] = [_("The selected file is empty")]
        else:
            try:
                kind = recognise(data[:16], data)
            except Refused as refused:  # an archive that would expand too far
                errors.update(refused.errors)
            if kind is None and not errors.get("file"):
                allowed = ", ".join(k.label for k in ALLOWED)
                errors["file"] = [
                    _("The file must be one of these kinds: %(kinds)s") % {"kinds": allowed}
                ]
    if errors:
        raise Refused(errors)
    assert kind is not None
    stored = f"{secrets.token_hex(16)}.{kind.extension}"
    target = upload_dir() / stored
    with target.open("xb") as handle:
        handle.write(data)
    target.chmod(0o600)
    try:
        document = Document.objects.create(
            person=person,
            title=clean_title,
            original_name=Path(original_name).name[:255],
            content_type=kind.content_type,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            stored_name=stored,
            uploaded_by=user,
            uploaded_at=timezone.now(),
        )
        record_access(
            user,
            action=AccessAction.CREATE,
            record_kind=RecordKind.DOCUMENT,
            record_id=document.pk,
            person_id=person.pk,
            detail={"size": len(data)},
        )
    except BaseException:
        # No record, no file: never leave an upload behind that nothing refers to.
        target.unlink(missing_ok=True)
        raise
    return document


def documents_for(user: User, person_ref: str) -> list[Document]:
    """The documents on a person's record, if the user may see documents there."""
    if scope_for(user, RecordKind.DOCUMENT, Action.READ) == Scope.NONE:
        return []
    # The person is found by their ID and only then tested against the user's scope (a
    # correlated test): an ``IN`` over everyone the user may see would read the whole register.
    readable = people_for(user).filter(pk=OuterRef("person_id"))
    return list(
        Document.objects.filter(Exists(readable), person__ref=person_ref).select_related(
            "uploaded_by"
        )
    )


def list_documents(user: User, person_ref: str) -> list[Document]:
    """The documents on a person's record (``documents_for``), for a person the user may see
    (``NotFound``/``Restricted`` otherwise); the list's showing is audited (IS4)."""
    person = person_for(user, person_ref)
    if scope_for(user, RecordKind.DOCUMENT, Action.READ) == Scope.NONE:
        return []
    # The person was just read through ``people_for``: every document on them may be read.
    documents = list(Document.objects.filter(person=person).select_related("uploaded_by"))
    record_access(
        user,
        action=AccessAction.LIST,
        record_kind=RecordKind.DOCUMENT,
        record_id=person.ref,
        person_id=person.pk,
        detail={"documents": len(documents)},
    )
    return documents


@dataclass(frozen=True)
class OpenedDocument:
    document: Document
    path: Path


def open_document(user: User, document_id: int) -> OpenedDocument:
    """A document the user may read, its reading audited; ``NotFound`` otherwise."""
    if scope_for(user, RecordKind.DOCUMENT, Action.READ) == Scope.NONE:
        raise NotFound(str(document_id))
    readable = people_for(user).filter(pk=OuterRef("person_id"))
    document = (
        Document.objects.filter(Exists(readable), pk=document_id).select_related("person").first()
    )
    if document is None:
        raise NotFound(str(document_id))
    path = upload_dir() / document.stored_name
    if not path.is_file():
        raise NotFound(str(document_id))
    record_access(
        user,
        action=AccessAction.VIEW,
        record_kind=RecordKind.DOCUMENT,
        record_id=document.pk,
        person_id=document.person_id,
    )
    return OpenedDocument(document, path)
