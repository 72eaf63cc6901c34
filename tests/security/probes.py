"""Probes for the permission matrix (IS1): how each page or endpoint is called for a target child,
and how its answer is judged "allowed" or "denied".

A probe answers True (allowed) or False (denied) and raises ``AssertionError`` for any other
answer, for a refusal that shows what it refuses, or for an answer the database contradicts
(a "denied" write that was saved anyway). Probes that take several steps (break-glass) check
that the steps agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tarian.documents.models import Document
from tarian.people.forms import initial_for
from tarian.people.models import Person
from tests.security.conftest import (
    NONE,
    PROFESSIONAL_MARKER,
    REASON,
    World,
    body_of,
)


class ProbeError(AssertionError):
    """A probe got an answer that is neither its allowed nor its denied answer."""


Check = Callable[[World, "bool | None", str], bool]


@dataclass(frozen=True)
class Probe:
    label: str
    covers: tuple[str, ...]  # what it calls: "METHOD url-name", e.g. "GET web:person"
    check: Check  # (world, target involved? or None, expected scope) -> allowed?
    targeted: bool = True  # False: the action has no target person (creating one)


def judge(
    label: str, response: Any, *, yes: Collection[int], no: Collection[int], secret: str = ""
) -> bool:
    """Allowed or denied by status code; anything else is an error. A denial must not leak."""
    status = response.status_code
    if status in yes:
        return True
    if status in no:
        if secret and not getattr(response, "streaming", False):
            assert secret not in response.content.decode(errors="replace"), (
                f"{label}: the refusal ({status}) shows {secret!r}"
            )
        return False
    raise ProbeError(f"{label}: unexpected {status}: {body_of(response)}")


def agree(label: str, verdicts: list[bool]) -> bool:
    """Steps of one probe must agree with each other (all allowed, or all denied)."""
    if len(set(verdicts)) != 1:
        raise ProbeError(f"{label}: steps disagree: {verdicts}")
    return verdicts[0]


def _drain(response: Any) -> bytes:
    """The body of a (possibly streamed) answer. Consuming the test client's stream closes the
    response safely; closing it again would close the test's database connection."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


# person / read


def web_person(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.get(f"/people/{p.ref}")
    return judge("GET /people/{ref}", r, yes={200}, no={404}, secret=p.given_name)


def api_person(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.api.get(f"/api/v1/people/{p.ref}")
    ok = judge("GET /api/v1/people/{id}", r, yes={200}, no={404}, secret=p.given_name)
    assert not ok or r.json()["id"] == p.ref
    return ok


def web_chronology(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.get(f"/people/{p.ref}/chronology")
    return judge("GET /people/{ref}/chronology", r, yes={200}, no={404}, secret=p.given_name)


def api_chronology(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.api.get(f"/api/v1/children/{p.ref}/chronology")
    return judge("GET /api/v1/children/{id}/chronology", r, yes={200}, no={404})


def web_restricted_record(w: World, involved: bool | None, scope: str) -> bool:
    """A restricted record: the page sends those in scope to break-glass; others get 404."""
    p = w.person(involved=bool(involved), restricted=True)
    label = "web restricted record and break-glass"
    page = w.web.get(f"/people/{p.ref}")
    first = judge(label + " (record)", page, yes={302}, no={404}, secret=p.given_name)
    if first:
        assert page["Location"] == f"/people/{p.ref}/break-glass"
    form = w.web.get(f"/people/{p.ref}/break-glass")
    # The break-glass form answers 403 (the record is not yet open) and shows only the ID.
    second = judge(label + " (form)", form, yes={403}, no={404}, secret=p.given_name)
    assert p.given_name not in form.content.decode()
    opened = w.web.post(f"/people/{p.ref}/break-glass", {"reason": REASON})
    third = judge(label + " (open)", opened, yes={302}, no={404}, secret=p.given_name)
    after = w.web.get(f"/people/{p.ref}")
    fourth = judge(label + " (record after)", after, yes={200}, no={404}, secret=p.given_name)
    return agree(label, [first, second, third, fourth])


def api_restricted_record(w: World, involved: bool | None, scope: str) -> bool:
    p = w.person(involved=bool(involved), restricted=True)
    label = "API restricted record and break-glass"
    read = w.api.get(f"/api/v1/people/{p.ref}")
    first = judge(label + " (record)", read, yes={403}, no={404}, secret=p.given_name)
    assert p.given_name not in read.content.decode()
    assert not first or read.json().get("restricted") is True
    opened = w.api.post(
        f"/api/v1/people/{p.ref}/break-glass", {"reason": REASON}, content_type="application/json"
    )
    second = judge(label + " (open)", opened, yes={200}, no={404})
    after = w.api.get(f"/api/v1/people/{p.ref}")
    third = judge(label + " (record after)", after, yes={200}, no={404}, secret=p.given_name)
    return agree(label, [first, second, third])


# person / list


def web_search(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.get("/people/search", {"q": p.given_name})
    if scope == NONE:  # no list permission at all: the search page itself is not there
        return judge("GET /people/search (no permission)", r, yes=(), no={404})
    judge("GET /people/search", r, yes={200}, no=())
    return f"/people/{p.ref}" in r.content.decode()


def _listed(label: str, r: Any, ref: str) -> bool:
    if not judge(label, r, yes={200}, no={403, 404}):
        return False
    return ref in [item["id"] for item in r.json()["results"]]


def api_search(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    return _listed("GET /api/v1/people?q=", w.api.get("/api/v1/people", {"q": p.given_name}), p.ref)


def api_list(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    return _listed("GET /api/v1/people", w.api.get("/api/v1/people", {"page_size": 200}), p.ref)


# person / write


def api_create_person(w: World, involved: bool | None, scope: str) -> bool:
    body = {
        "kind": "child",
        "given_name": "Newydd",
        "family_name": "Matrics",
        "date_of_birth": "2016-03-04",
    }
    r = w.api.post("/api/v1/people", body, content_type="application/json")
    ok = judge("POST /api/v1/people", r, yes={201}, no={403})
    assert ok == Person.objects.filter(given_name="Newydd").exists()
    return ok


def api_update_person(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    p.refresh_from_db()
    body = {"version": p.version, "known_as": "Newid API", "reason": "Matrix check"}
    r = w.api.patch(f"/api/v1/people/{p.ref}", body, content_type="application/json")
    ok = judge("PATCH /api/v1/people/{id}", r, yes={200}, no={403, 404}, secret=p.given_name)
    p.refresh_from_db()
    assert ok == (p.known_as == "Newid API"), "the answer and the record disagree"
    return ok


def web_edit_form(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.get(f"/people/{p.ref}/edit")
    return judge("GET /people/{ref}/edit", r, yes={200}, no={404}, secret=p.given_name)


def web_edit_save(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    p.refresh_from_db()
    data = {k: v for k, v in initial_for(p).items() if v not in (None, False)}
    data.update(known_as="Newid gwe", reason="Matrix check")
    r = w.web.post(f"/people/{p.ref}/edit", data)
    ok = judge("POST /people/{ref}/edit", r, yes={302}, no={404}, secret=p.given_name)
    p.refresh_from_db()
    assert ok == (p.known_as == "Newid gwe"), "the answer and the record disagree"
    return ok


def web_autosave(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.post(f"/people/{p.ref}/edit/autosave", {"known_as": "Drafft"})
    return judge("POST /people/{ref}/edit/autosave", r, yes={200}, no={404})


def web_discard(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.post(f"/people/{p.ref}/edit/discard")
    return judge("POST /people/{ref}/edit/discard", r, yes={302}, no={404})


# involvement / read


def api_involvements(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.api.get(f"/api/v1/people/{p.ref}/involvements")
    ok = judge(
        "GET /api/v1/people/{id}/involvements",
        r,
        yes={200},
        no={403, 404},
        secret=PROFESSIONAL_MARKER,
    )
    assert not ok or PROFESSIONAL_MARKER in r.content.decode()
    return ok


def api_person_involvements(w: World, involved: bool | None, scope: str) -> bool:
    """The involvements inside a person's API record: shown only to those who may read them."""
    p = w.target(bool(involved))
    r = w.api.get(f"/api/v1/people/{p.ref}")
    if not judge("GET /api/v1/people/{id} (involvements)", r, yes={200}, no={404}):
        return False
    return PROFESSIONAL_MARKER in r.content.decode()


def web_person_involvements(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.get(f"/people/{p.ref}")
    if not judge("GET /people/{ref} (involvements)", r, yes={200}, no={404}):
        return False
    return PROFESSIONAL_MARKER in r.content.decode()


# involvement / write


def api_end_involvement(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    involvement = w.own_future_involvement(p)
    end = (involvement.start_date + dt.timedelta(days=1)).isoformat()
    r = w.api.post(
        f"/api/v1/involvements/{involvement.pk}/end",
        {"version": 1, "end_date": end, "reason": "Matrix check"},
        content_type="application/json",
    )
    ok = judge("POST /api/v1/involvements/{id}/end", r, yes={200}, no={403, 404})
    involvement.refresh_from_db()
    assert ok == (involvement.end_date is not None), "the answer and the record disagree"
    return ok


def api_add_involvement(w: World, involved: bool | None, scope: str) -> bool:
    """Runs last among the involvement writes: when allowed it involves the user's agency."""
    p = w.target(bool(involved))
    body = {"agency": w.agency.slug, "role": "other", "start_date": "2025-01-06"}
    r = w.api.post(f"/api/v1/people/{p.ref}/involvements", body, content_type="application/json")
    return judge("POST /api/v1/people/{id}/involvements", r, yes={201}, no={403, 404})


# access_log / read and record_history / read


def web_viewed(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.get(f"/people/{p.ref}/viewed")
    return judge("GET /people/{ref}/viewed", r, yes={200}, no={404}, secret=p.given_name)


def api_access_log(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.api.get(f"/api/v1/people/{p.ref}/access-log")
    return judge("GET /api/v1/people/{id}/access-log", r, yes={200}, no={404})


def web_history(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.get(f"/people/{p.ref}/history")
    return judge("GET /people/{ref}/history", r, yes={200}, no={404}, secret=p.given_name)


# document / read and write


def api_documents(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    document = w.document_on(p)
    r = w.api.get(f"/api/v1/people/{p.ref}/documents")
    if not judge(
        "GET /api/v1/people/{id}/documents", r, yes={200}, no={403, 404}, secret=document.title
    ):
        return False
    return document.pk in [d["id"] for d in r.json()["results"]]


def api_document_content(w: World, involved: bool | None, scope: str) -> bool:
    document = w.document_on(w.target(bool(involved)))
    r = w.api.get(f"/api/v1/documents/{document.pk}/content")
    ok = judge("GET /api/v1/documents/{id}/content", r, yes={200}, no={404})
    assert not ok or _drain(r).startswith(b"Document about")
    return ok


def web_document(w: World, involved: bool | None, scope: str) -> bool:
    document = w.document_on(w.target(bool(involved)))
    r = w.web.get(f"/documents/{document.pk}")
    ok = judge("GET /documents/{id}", r, yes={200}, no={404})
    assert not ok or _drain(r).startswith(b"Document about")
    return ok


def _text_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("note.txt", b"A note for the matrix.\n", content_type="text/plain")


def api_upload(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.api.post(f"/api/v1/people/{p.ref}/documents", {"title": "API", "file": _text_file()})
    ok = judge("POST /api/v1/people/{id}/documents", r, yes={201}, no={403, 404})
    assert ok == Document.objects.filter(person=p, title="API").exists(), (
        "the answer and the record disagree"
    )
    return ok


def web_upload_form(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.get(f"/people/{p.ref}/documents/new")
    return judge("GET /people/{ref}/documents/new", r, yes={200}, no={404}, secret=p.given_name)


def web_upload(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.post(f"/people/{p.ref}/documents/new", {"title": "Gwe", "file": _text_file()})
    ok = judge("POST /people/{ref}/documents/new", r, yes={302}, no={404}, secret=p.given_name)
    assert ok == Document.objects.filter(person=p, title="Gwe").exists(), (
        "the answer and the record disagree"
    )
    return ok


# restriction / write


def web_restriction_form(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.get(f"/people/{p.ref}/restriction")
    return judge("GET /people/{ref}/restriction", r, yes={200}, no={404}, secret=p.given_name)


def web_restriction_save(w: World, involved: bool | None, scope: str) -> bool:
    """Saves "not restricted" with a reason: allowed or not, the child stays visible."""
    p = w.target(bool(involved))
    r = w.web.post(
        f"/people/{p.ref}/restriction", {"restricted": "no", "named": "", "reason": "Matrix"}
    )
    ok = judge("POST /people/{ref}/restriction", r, yes={302}, no={404}, secret=p.given_name)
    p.refresh_from_db()
    assert ok == (p.version > 1), "the answer and the record disagree"
    return ok


# person / export


def web_subject_access_page(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.get(f"/people/{p.ref}/subject-access")
    return judge("GET /people/{ref}/subject-access", r, yes={200}, no={404}, secret=p.given_name)


def web_subject_access_export(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.web.post(f"/people/{p.ref}/subject-access")
    ok = judge("POST /people/{ref}/subject-access", r, yes={200}, no={404}, secret=p.given_name)
    assert not ok or r["Content-Type"] == "application/zip"
    return ok


def web_new_person_form(w: World, involved: bool | None, scope: str) -> bool:
    """The page for recording a person not yet on Tarian (no target: it makes one)."""
    r = w.web.get("/people/new")
    return judge("GET /people/new", r, yes={200}, no={404})
