"""Documents on a person's record, for their subject access export (IS4, PC2): listed by title,
date, kind and size; the files themselves are for the disclosure officer to review."""

from __future__ import annotations

from typing import Any

from tarian.core.disclosure import STAFF, Disclosure, Table, disclosure_section, iso_moment
from tarian.documents.models import Document
from tarian.people.models import Person

NOTE = (
    "Document files are not included. The disclosure officer must review each one for "
    "information about other people before releasing it."
)


@disclosure_section(
    "documents",
    order=70,
    records=[Document],
    tables=[Table("Documents", ("documents", "items"), (
        ("Title", 3, "title"), ("Added", 2.2, "added_at"), ("Kind", 2.2, "kind"),
        ("Bytes", 1, "size_bytes"), ("Added by", 1.5, "added_by"), ("Agency", 2, "agency"),
    ), note=("documents", "note"))],
    before_release=[
        "- Document files are not included: only their title, date, kind and size are "
        "listed. The disclosure officer must review each document for information about "
        "other people before releasing it.",
    ],
)
def documents(disclosure: Disclosure[Person]) -> dict[str, Any]:
    return {
        "note": NOTE,
        "items": [
            {"title": d.title, "added_at": iso_moment(d.uploaded_at), "kind": d.content_type,
             "size_bytes": d.size_bytes, "added_by": STAFF,
             "agency": disclosure.agency(d.uploaded_by_id, str(d.uploaded_by.agency or ""))}
            for d in Document.objects.filter(
                person=disclosure.person, uploaded_at__lte=disclosure.now
            )
            .select_related("uploaded_by__agency")
            .order_by("uploaded_at", "id")
        ],
    }
