"""The documents on a person's record page (IS1): shown through ``tarian.people.panels``, so
that people never imports documents."""

from __future__ import annotations

from tarian.agencies.models import User
from tarian.documents.services import documents_for
from tarian.people.models import Person
from tarian.people.panels import Panel


def panel(user: User, person: Person) -> Panel | None:
    """The documents the user may see on the record; the heading, "No documents." and the
    upload link are shown whenever the record page is (as they always were)."""
    return Panel("documents/_person_documents.html", {"documents": documents_for(user, person.ref)})
