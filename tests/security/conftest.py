"""Shared helpers for the security tests (IS1, IS4): the rule table, and a small world per test.

``expected_scope`` re-derives what a user may do from the ``SharingRule`` rows themselves, so
that the permission-matrix tests do not trust ``tarian.agencies.access.scope_for``, the code
under test. ``build_world`` makes, for one role in one kind of agency, the acting user with a
signed-in web client and an API client, and two children: one the user's agency is currently
involved with and one it is not (another agency is, and the user's agency was, years ago).
Its clients are ``AuditedClient``s: every answer they get is checked for IS4 (a person it
shows has an access event written by the request).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote_plus

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver
from django.utils import timezone

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, AgencyType, SharingRule, User
from tarian.audit.models import AccessEvent
from tarian.documents.models import Document
from tarian.people.models import Involvement, InvolvementRole, Person
from tarian.referrals import deadlines as referral_clocks
from tarian.referrals.models import (
    Consent,
    DecisionSignOff,
    GatewayDecision,
    ParentalAwareness,
    Referral,
    ReferralStatus,
)
from tarian.referrals.selectors import decision_timescale
from tests.clients import signed_in
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, UserFactory

NONE, INVOLVED, ALL = "none", "involved", "all"
RANK = {NONE: 0, INVOLVED: 1, ALL: 2}

# Shown on the person page and in the API only to someone who may read involvements.
PROFESSIONAL_MARKER = "Marciwr Cynnwys"
INVOLVED_GIVEN_NAME = "Iolocynnwys"
UNINVOLVED_GIVEN_NAME = "Heledddieithr"
REASON = "Matrix check: a child is at the front door and I must see the record now."


class RuleRow(NamedTuple):
    agency_type: str  # "" means any kind of agency
    role: str
    record_kind: str
    action: str
    scope: str


def rule_rows() -> list[RuleRow]:
    """The information-sharing rules as stored (the defaults loaded after ``migrate``)."""
    return [
        RuleRow(*row)
        for row in SharingRule.objects.values_list(
            "agency_type", "role", "record_kind", "action", "scope"
        )
    ]


def expected_scope(
    rows: Iterable[RuleRow], *, role: str, agency_type: str, record_kind: str, action: str
) -> str:
    """The widest scope of the rules matching a user of ``agency_type`` holding just ``role``.

    Written independently of ``scope_for``: a rule matches when its role, record kind and action
    are equal and its agency type is blank (any agency) or equal; no matching rule means none.
    """
    found = [
        row.scope
        for row in rows
        if row.role == role
        and row.record_kind == record_kind
        and row.action == action
        and row.agency_type in ("", agency_type)
    ]
    return max(found, key=RANK.__getitem__, default=NONE)


def allowed(scope: str, involved: bool | None) -> bool:
    """Whether a scope reaches a target: ``involved`` is None for an action without a target."""
    if involved is None:
        return scope != NONE
    return scope == ALL or (scope == INVOLVED and involved)


class UnauditedRead(AssertionError):
    """An answer showed a person's data, and the request wrote no access event about them."""


def people_shown(body: str, *, sent: str = "") -> dict[int, str]:
    """The people whose data an answer shows: their Tarian ID appears in it, or their given
    name as a whole word where no one else has that name. A marker the caller sent in the query
    string or body (a name typed into a search) is not counted: echoing it shows nothing."""
    rows = list(Person.objects.values_list("pk", "ref", "given_name"))
    names = Counter(given for _pk, _ref, given in rows)
    shown: dict[int, str] = {}
    for pk, ref, given in rows:
        if ref in body and ref not in sent:
            shown[pk] = ref
        elif (
            given
            and names[given] == 1
            and given not in sent
            and re.search(rf"(?<!\w){re.escape(given)}(?!\w)", body)
        ):
            shown[pk] = given
    return shown


def last_access_event_id() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def check_audited(response: Any, *, since: int, label: str, sent: str = "") -> None:
    """IS4: every person a successful answer shows has an access event written by the request.

    Refusals are left out (``judge`` proves they show no one): a 4xx may repeat the ID the
    caller sent, which tells them nothing they did not know. A streamed body (a download) is
    read here and put back for the probe."""
    if not 200 <= response.status_code < 300:
        return
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        response.streaming_content = [content]
    else:
        content = bytes(response.content)
    shown = people_shown(content.decode(errors="replace"), sent=sent)
    if not shown:
        return
    audited = set(
        AccessEvent.objects.filter(pk__gt=since, person_id__in=list(shown)).values_list(
            "person_id", flat=True
        )
    )
    missing = {pk: marker for pk, marker in shown.items() if pk not in audited}
    if missing:
        raise UnauditedRead(
            f"{label}: the answer shows {sorted(missing.values())} but wrote no access event "
            "about them (IS4)"
        )


class AuditedClient(Client):
    """A test client whose every answer is checked by ``check_audited``."""

    _sent_body = ""

    def generic(self, method: str, path: str, data: Any = "", *args: Any, **kwargs: Any) -> Any:
        raw = data if isinstance(data, bytes) else str(data).encode()
        self._sent_body = unquote_plus(raw.decode(errors="replace"))
        try:
            return super().generic(method, path, data, *args, **kwargs)
        finally:
            self._sent_body = ""

    def request(self, **request: Any) -> Any:
        since = last_access_event_id()
        sent = unquote_plus(str(request.get("QUERY_STRING", ""))) + self._sent_body
        response = super().request(**request)
        label = f"{request.get('REQUEST_METHOD', '')} {request.get('PATH_INFO', '')}"
        check_audited(response, since=since, label=label, sent=sent)
        return response


def api_client(user: User) -> Client:
    return AuditedClient(headers={"authorization": f"Bearer {issue_token(user)}"})


@dataclass
class World:
    """One user of one role in one kind of agency, and the children the probes aim at."""

    agency: Agency
    other_agency: Agency
    user: User
    web: Client
    api: Client
    involved: Person
    uninvolved: Person
    uploader: User

    def target(self, involved: bool) -> Person:
        return self.involved if involved else self.uninvolved

    def person(self, *, involved: bool, restricted: bool = False) -> Person:
        """A further child, like ``target(involved)``; a restricted one names nobody."""
        return make_child(self.agency, self.other_agency, involved=involved, restricted=restricted)

    def document_on(self, person: Person) -> Document:
        return store_document(person, uploaded_by=self.uploader)

    def referral(
        self, *, involved: bool, status: str = ReferralStatus.AWAITING_DECISION
    ) -> Referral:
        """A referral about the involved child, made by the user's agency (``involved``: the
        meaning of "involved" for referrals) or by the other agency, at the given stage."""
        return make_referral(
            self.agency if involved else self.other_agency,
            self.involved,
            status=status,
            referrer=self.user if involved else self.uploader,
            decider=self.uploader,
        )

    def own_future_involvement(self, person: Person) -> Involvement:
        """An involvement of the user's own agency that has not started: it gives no access."""
        start = timezone.localdate() + dt.timedelta(days=30)
        return InvolvementFactory.create(
            person=person, agency=self.agency, role=InvolvementRole.OTHER, start_date=start
        )


def make_child(
    agency: Agency,
    other_agency: Agency,
    *,
    involved: bool,
    restricted: bool = False,
    given_name: str = "",
) -> Person:
    """A child another agency works with (its professional's name is the involvement marker).

    ``involved``: ``agency`` is currently involved too. Otherwise it was, years ago: an ended
    involvement must not count.
    """
    person = PersonFactory.create(
        given_name=given_name or ("Iolo" if involved else "Heledd"),
        family_name="Matrics",
        is_restricted=restricted,
    )
    InvolvementFactory.create(
        person=person,
        agency=other_agency,
        role=InvolvementRole.SOCIAL_WORKER,
        professional_name=PROFESSIONAL_MARKER,
    )
    if involved:
        InvolvementFactory.create(person=person, agency=agency, role=InvolvementRole.OTHER)
    else:
        InvolvementFactory.create(
            person=person,
            agency=agency,
            role=InvolvementRole.OTHER,
            start_date=dt.date(2019, 9, 1),
            end_date=dt.date(2023, 7, 21),
        )
    return person


REFERRAL_CONCERN = "Matrix referral concern: bruising seen on the child's arm at school."


def make_referral(
    agency: Agency, child: Person, *, status: str, referrer: User, decider: User
) -> Referral:
    """A referral at any stage, made directly (the services' own checks are not under test)."""
    with transaction.atomic():  # its clocks are written in the transaction that makes it
        return _make_referral(agency, child, status=status, referrer=referrer, decider=decider)


def _make_referral(
    agency: Agency, child: Person, *, status: str, referrer: User, decider: User
) -> Referral:
    moment = timezone.now() - dt.timedelta(hours=2)
    received = None if status == ReferralStatus.AWAITING_SUPERVISOR else moment
    referral = Referral.objects.create(
        ref="R" + secrets.token_hex(4).upper(),
        referrer=referrer,
        referrer_agency=agency,
        concern=REFERRAL_CONCERN,
        voice_of_child="She said it hurt when her brother pushed her.",
        voice_method="own_words",
        parental_awareness=ParentalAwareness.AWARE,
        consent=Consent.GIVEN,
        priority="standard",
        status=status,
        submitted_at=moment,
        received_at=received,
        decision_due_at=None if received is None else moment + dt.timedelta(days=1),
        created_by=referrer,
        modified_by=referrer,
    )
    referral.children.set([child])
    # The clocks the services would have started, in rows (the queues read them: #21).
    if received is None:
        referral_clocks.start_backlog_clock(referral, submitted_at=moment, children=[child])
    else:
        referral_clocks.start_decision_clock(
            referral, timescale=decision_timescale(referral.priority).key, started_at=moment,
            children=[child],
        )
    if status in (ReferralStatus.AWAITING_SIGN_OFF, ReferralStatus.DECIDED):
        decision = GatewayDecision.objects.create(
            referral=referral,
            outcome="information_and_advice",
            rationale="The school's support plan meets the need; no risk of significant harm.",
            decided_by=decider,
            decided_at=moment,
        )
        referral_clocks.decision_recorded(referral, decided_at=moment)
        if status == ReferralStatus.DECIDED:
            DecisionSignOff.objects.create(
                decision=decision, signed_off_by=decider, signed_off_at=moment
            )
    return referral


def store_document(person: Person, *, uploaded_by: User) -> Document:
    """A stored text document on the person's record (as if uploaded, without the checks)."""
    data = f"Document about {person.ref}\n".encode()
    stored = f"{secrets.token_hex(16)}.txt"
    folder = Path(settings.TARIAN_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(data)
    return Document.objects.create(
        person=person,
        title=f"Matrix document {person.ref}",
        original_name="note.txt",
        content_type="text/plain",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        stored_name=stored,
        uploaded_by=uploaded_by,
        uploaded_at=dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC),
    )


def build_world(role: str, agency_type: str) -> World:
    agency = AgencyFactory.create(slug="matrix-home", name="Matrix Home Agency", type=agency_type)
    other = AgencyFactory.create(
        slug="matrix-other", name="Asiantaeth Arall", type=AgencyType.CHILDRENS_SERVICES
    )
    user = UserFactory.create(username="matrix-actor", agency=agency, roles=[role])
    uploader = UserFactory.create(username="matrix-uploader", agency=None, first_name="Uploader")
    return World(
        agency=agency,
        other_agency=other,
        user=user,
        web=signed_in(user, client_class=AuditedClient),
        api=api_client(user),
        involved=make_child(agency, other, involved=True, given_name=INVOLVED_GIVEN_NAME),
        uninvolved=make_child(agency, other, involved=False, given_name=UNINVOLVED_GIVEN_NAME),
        uploader=uploader,
    )


@pytest.fixture
def rule_table(db: None) -> list[RuleRow]:
    rows = rule_rows()
    assert rows, "the default sharing rules were not loaded after migrate"
    return rows


@pytest.fixture
def make_world(db: None) -> Callable[[str, str], World]:
    return build_world


def walk_urls(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    """Every URL pattern of the site as (namespaced name, route, view callable)."""
    if patterns is None:
        import tarian.urls

        patterns = tarian.urls.urlpatterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from walk_urls(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or "", prefix + str(pattern.pattern), pattern.callback


def body_of(response: Any) -> str:
    """The start of a response body, for failure messages."""
    content = getattr(response, "content", b"")
    if getattr(response, "streaming", False):
        return "<streamed>"
    return bytes(content[:300]).decode(errors="replace")
