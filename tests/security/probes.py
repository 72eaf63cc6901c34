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
from tarian.people import merging
from tarian.people.models import Person
from tarian.procedures.models import ThresholdLevel
from tarian.procedures.threshold import current_guide
from tarian.referrals.models import ReferralStatus
from tarian.web.person_forms import initial_for
from tests.factories import UserFactory
from tests.security.conftest import (
    NONE,
    PROFESSIONAL_MARKER,
    REASON,
    REFERRAL_CONCERN,
    World,
    body_of,
    make_child,
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


# referral (the front door). "Involved" for a referral means made by the user's agency.


REFERRAL_FORM = {
    "concern": "Matrix: the child came to school with a bruise and said her brother did it.",
    "voice_of_child": "It hurt when he pushed me.",
    "voice_method": "own_words",
    "parental_awareness": "aware",
    "consent": "given",
    "priority": "standard",
}


def web_new_referral_form(w: World, involved: bool | None, scope: str) -> bool:
    r = w.web.get("/referrals/new")
    return judge("GET /referrals/new", r, yes={200}, no={404})


def web_new_referral(w: World, involved: bool | None, scope: str) -> bool:
    data = {**REFERRAL_FORM, "children": w.involved.ref}
    r = w.web.post("/referrals/new", data)
    ok = judge("POST /referrals/new", r, yes={302}, no={404})
    made = w.involved.referrals.filter(referrer=w.user).exists()
    assert ok == made, "the answer and the record disagree"
    return ok


def web_autosave_referral(w: World, involved: bool | None, scope: str) -> bool:
    r = w.web.post("/referrals/new/autosave", {"concern": "Drafft"})
    return judge("POST /referrals/new/autosave", r, yes={200}, no={404})


def api_new_referral(w: World, involved: bool | None, scope: str) -> bool:
    body = {**REFERRAL_FORM, "children": [w.involved.ref]}
    r = w.api.post("/api/v1/referrals", body, content_type="application/json")
    ok = judge("POST /api/v1/referrals", r, yes={201}, no={403})
    made = w.involved.referrals.filter(referrer=w.user).exists()
    assert ok == made, "the answer and the record disagree"
    return ok


def web_referral(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.web.get(f"/referrals/{referral.ref}")
    return judge("GET /referrals/{ref}", r, yes={200}, no={404}, secret=REFERRAL_CONCERN)


def api_referral(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.api.get(f"/api/v1/referrals/{referral.ref}")
    ok = judge("GET /api/v1/referrals/{id}", r, yes={200}, no={404}, secret=REFERRAL_CONCERN)
    assert not ok or r.json()["id"] == referral.ref
    return ok


def web_referral_list(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.web.get("/referrals")
    if not judge("GET /referrals", r, yes={200}, no={404}, secret=referral.ref):
        return False
    return f"/referrals/{referral.ref}" in r.content.decode()


def api_referral_list(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    return _listed("GET /api/v1/referrals", w.api.get("/api/v1/referrals"), referral.ref)


def api_gateway_queue(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.api.get("/api/v1/referrals", {"status": "awaiting_decision"})
    return _listed("GET /api/v1/referrals?status=awaiting_decision", r, referral.ref)


# supervisor_review / write (police supervisors send referrals on to the Gateway, FD3)


def _status_of(referral: Any) -> str:
    referral.refresh_from_db()
    return str(referral.status)


def web_approve(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved), status=ReferralStatus.AWAITING_SUPERVISOR)
    r = w.web.post(f"/referrals/{referral.ref}/approve")
    ok = judge("POST /referrals/{ref}/approve", r, yes={302}, no={404})
    assert ok == (_status_of(referral) == ReferralStatus.AWAITING_DECISION), "disagree"
    return ok


def api_approve(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved), status=ReferralStatus.AWAITING_SUPERVISOR)
    r = w.api.post(f"/api/v1/referrals/{referral.ref}/approve", {}, content_type="application/json")
    ok = judge("POST /api/v1/referrals/{id}/approve", r, yes={200}, no={403, 404})
    assert ok == (_status_of(referral) == ReferralStatus.AWAITING_DECISION), "disagree"
    return ok


# gateway_decision / write (FD4)

DECISION = {
    "outcome": "strategy_discussion",
    "rationale": "Bruising to a non-mobile sibling and the child's account meet the threshold.",
}


def web_decide(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.web.post(f"/referrals/{referral.ref}/decision", {**DECISION, "version": referral.version})
    ok = judge("POST /referrals/{ref}/decision", r, yes={302}, no={404}, secret=REFERRAL_CONCERN)
    assert ok == (_status_of(referral) == ReferralStatus.AWAITING_SIGN_OFF), "disagree"
    return ok


def api_decide(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved))
    r = w.api.post(
        f"/api/v1/referrals/{referral.ref}/decision", DECISION, content_type="application/json"
    )
    ok = judge("POST /api/v1/referrals/{id}/decision", r, yes={200, 201}, no={403, 404})
    assert ok == (_status_of(referral) == ReferralStatus.AWAITING_SIGN_OFF), "disagree"
    return ok


# decision_sign_off / write (FD4, FD5)


def web_sign_off(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved), status=ReferralStatus.AWAITING_SIGN_OFF)
    r = w.web.post(
        f"/referrals/{referral.ref}/sign-off", {"comment": "Agreed.", "version": referral.version}
    )
    ok = judge("POST /referrals/{ref}/sign-off", r, yes={302}, no={404}, secret=REFERRAL_CONCERN)
    assert ok == (_status_of(referral) == ReferralStatus.DECIDED), "disagree"
    return ok


def api_sign_off(w: World, involved: bool | None, scope: str) -> bool:
    referral = w.referral(involved=bool(involved), status=ReferralStatus.AWAITING_SIGN_OFF)
    r = w.api.post(
        f"/api/v1/referrals/{referral.ref}/sign-off", {"comment": "Agreed."},
        content_type="application/json",
    )
    ok = judge("POST /api/v1/referrals/{id}/sign-off", r, yes={201, 200}, no={403, 404})
    assert ok == (_status_of(referral) == ReferralStatus.DECIDED), "disagree"
    return ok


# person / list: "is this child known?" (FD6)


def _match_params(p: Any) -> dict[str, str]:
    return {"given_name": p.given_name, "family_name": p.family_name,
            "date_of_birth": p.date_of_birth.isoformat()}


def api_match(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    r = w.api.get("/api/v1/people/match", _match_params(p))
    # The name and date of birth were typed by the caller; what must not show is the record.
    if not judge("GET /api/v1/people/match", r, yes={200}, no={403}, secret=p.ref):
        return False
    found = p.ref in [c["id"] for c in r.json()["candidates"]]
    assert found or p.nhs_number not in r.content.decode(), "a hidden match shows its record"
    return found


def web_match(w: World, involved: bool | None, scope: str) -> bool:
    p = w.target(bool(involved))
    params = {
        "match_given_name": p.given_name, "match_family_name": p.family_name,
        "dob_day": str(p.date_of_birth.day), "dob_month": str(p.date_of_birth.month),
        "dob_year": str(p.date_of_birth.year),
    }
    r = w.web.get("/people/match", params)
    if not judge("GET /people/match", r, yes={200}, no={404}, secret=p.ref):
        return False
    found = f"/people/{p.ref}" in r.content.decode()
    assert found or p.ref not in r.content.decode(), "a hidden match shows its record"
    return found


# merge (IS3, FD6): working through possible duplicates, merging and undoing. Each probe makes
# a second record of the targeted child and the pair ``tarian dedupe`` would raise; "involved"
# and "other" differ only in which child: the merge rules' scope is "all" or "none".

DUPLICATE_GIVEN_NAME = "Dyblygiad"
MERGE_REASON = "Matrix check: the same child, recorded twice."


def _duplicate(w: World, involved: bool | None) -> tuple[Person, Person, Any]:
    from tarian.people.models import DuplicateCandidate

    p = w.target(bool(involved))
    dup = make_child(w.agency, w.other_agency, involved=bool(involved),
                     given_name=DUPLICATE_GIVEN_NAME)
    first, second = sorted([p, dup], key=lambda person: person.pk)
    pair = DuplicateCandidate.objects.create(
        person_a=first, person_b=second, score=0.9, reasons=["Matrix"],
        found_at=dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC),
    )
    return p, dup, pair


def _merged(w: World, involved: bool | None) -> tuple[Person, Person, Any]:
    """A duplicate already merged into the targeted child, by a manager of the other agency."""
    p, dup, _pair = _duplicate(w, involved)
    manager = UserFactory.create(agency=w.other_agency, roles=["team_manager"])
    merge = merging.merge_people(manager, keep_ref=p.ref, merge_ref=dup.ref, reason=MERGE_REASON)
    return p, dup, merge


def web_duplicates(w: World, involved: bool | None, scope: str) -> bool:
    _p, _dup, pair = _duplicate(w, involved)
    r = w.web.get("/duplicates")
    if not judge("GET /duplicates", r, yes={200}, no={404}, secret=DUPLICATE_GIVEN_NAME):
        return False
    return f"/duplicates/{pair.pk}" in r.content.decode()


def api_duplicates(w: World, involved: bool | None, scope: str) -> bool:
    _p, _dup, pair = _duplicate(w, involved)
    r = w.api.get("/api/v1/duplicates", {"page_size": 200})
    if not judge("GET /api/v1/duplicates", r, yes={200}, no={403}, secret=DUPLICATE_GIVEN_NAME):
        return False
    return pair.pk in [item["id"] for item in r.json()["results"]]


def web_duplicate(w: World, involved: bool | None, scope: str) -> bool:
    _p, dup, pair = _duplicate(w, involved)
    r = w.web.get(f"/duplicates/{pair.pk}")
    ok = judge("GET /duplicates/{id}", r, yes={200}, no={404}, secret=DUPLICATE_GIVEN_NAME)
    assert not ok or dup.ref in r.content.decode()
    return ok


def web_person_merges(w: World, involved: bool | None, scope: str) -> bool:
    p, dup, _merge = _merged(w, involved)
    r = w.web.get(f"/people/{p.ref}/merges")
    ok = judge("GET /people/{ref}/merges", r, yes={200}, no={404}, secret=DUPLICATE_GIVEN_NAME)
    assert not ok or f"{dup.ref} merged into {p.ref}" in r.content.decode()
    return ok


def web_merge(w: World, involved: bool | None, scope: str) -> bool:
    p, dup, pair = _duplicate(w, involved)
    r = w.web.post(
        f"/duplicates/{pair.pk}", {"action": "merge", "keep": p.ref, "reason": MERGE_REASON}
    )
    ok = judge("POST /duplicates/{id} (merge)", r, yes={302}, no={404},
               secret=DUPLICATE_GIVEN_NAME)
    dup.refresh_from_db()
    assert ok == (dup.merged_into_id == p.pk), "the answer and the record disagree"
    return ok


def web_not_same(w: World, involved: bool | None, scope: str) -> bool:
    _p, _dup, pair = _duplicate(w, involved)
    r = w.web.post(f"/duplicates/{pair.pk}", {"action": "not_same", "note": "Matrix"})
    ok = judge("POST /duplicates/{id} (not the same)", r, yes={302}, no={404},
               secret=DUPLICATE_GIVEN_NAME)
    pair.refresh_from_db()
    assert ok == (pair.status == "not_same"), "the answer and the record disagree"
    return ok


def web_undo_merge(w: World, involved: bool | None, scope: str) -> bool:
    p, _dup, merge = _merged(w, involved)
    r = w.web.post(
        f"/people/{p.ref}/merges", {"merge": merge.pk, f"undo-{merge.pk}-reason": "Matrix"}
    )
    ok = judge("POST /people/{ref}/merges", r, yes={302}, no={404}, secret=DUPLICATE_GIVEN_NAME)
    merge.refresh_from_db()
    assert ok == (merge.undone_at is not None), "the answer and the record disagree"
    return ok


def api_merge(w: World, involved: bool | None, scope: str) -> bool:
    p, dup, _pair = _duplicate(w, involved)
    r = w.api.post(
        f"/api/v1/people/{p.ref}/merge", {"merge": dup.ref, "reason": MERGE_REASON},
        content_type="application/json",
    )
    ok = judge("POST /api/v1/people/{id}/merge", r, yes={200}, no={403, 404},
               secret=DUPLICATE_GIVEN_NAME)
    dup.refresh_from_db()
    assert ok == (dup.merged_into_id == p.pk), "the answer and the record disagree"
    return ok


def api_undo_merge(w: World, involved: bool | None, scope: str) -> bool:
    _p, _dup, merge = _merged(w, involved)
    r = w.api.post(
        f"/api/v1/merges/{merge.pk}/undo", {"reason": "Matrix"}, content_type="application/json"
    )
    ok = judge("POST /api/v1/merges/{id}/undo", r, yes={200}, no={403, 404},
               secret=DUPLICATE_GIVEN_NAME)
    merge.refresh_from_db()
    assert ok == (merge.undone_at is not None), "the answer and the record disagree"
    return ok


def api_not_same(w: World, involved: bool | None, scope: str) -> bool:
    _p, _dup, pair = _duplicate(w, involved)
    r = w.api.post(
        f"/api/v1/duplicates/{pair.pk}/not-same", {"note": "Matrix"},
        content_type="application/json",
    )
    ok = judge("POST /api/v1/duplicates/{id}/not-same", r, yes={200}, no={403, 404},
               secret=DUPLICATE_GIVEN_NAME)
    pair.refresh_from_db()
    assert ok == (pair.status == "not_same"), "the answer and the record disagree"
    return ok


# threshold_guide / write (FD7): the partnership's guide of levels of need, about no one


def web_threshold_guide_form(w: World, involved: bool | None, scope: str) -> bool:
    r = w.web.get("/settings/threshold-guide")
    return judge("GET /settings/threshold-guide", r, yes={200}, no={404})


def web_threshold_guide_save(w: World, involved: bool | None, scope: str) -> bool:
    """Save the guide as it is, with one wording changed; a refusal must save nothing."""
    guide = current_guide()
    data: dict[str, Any] = {"version": guide.version, "reason": "Matrix: board agreed wording"}
    for n, level in enumerate(guide.levels):
        data.update({f"level-{n}-{name}": value for name, value in level.as_data().items()})
        data[f"level-{n}-is_active"] = "on"
    data["level-0-title_en"] = "Matrix level"
    r = w.web.post("/settings/threshold-guide", data)
    ok = judge("POST /settings/threshold-guide", r, yes={302}, no={404})
    saved = ThresholdLevel.objects.filter(title_en="Matrix level").exists()
    assert ok == saved, "the answer and the record disagree"
    return ok
