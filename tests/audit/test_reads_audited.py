"""IS4: every read that shows a person's data writes an access event about that person.

Issue 18, item 5: these reads wrote none. A referral about two children was logged with no
person, so it never appeared on either child's "who has viewed" or in their subject access;
the edit form (the whole record), the API's list of a person's documents, the API's and the
web's referral lists (children's names, the concern), the restriction page and the subject
access page wrote nothing. The permission-matrix probes check the same for every page and
endpoint (``tests/security/conftest.py``: ``AuditedClient``); these tests pin the content of
the events and where they show.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.audit.models import AccessEvent
from tarian.disclosure.export import export_subject_access
from tarian.people.models import Person
from tarian.referrals import services as referrals
from tarian.referrals.models import Referral
from tests.clients import signed_in
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db
CONCERN = "Both children came to school hungry and said there was no food at home all weekend."


@pytest.fixture
def brother(child: Person) -> Person:
    sibling = PersonFactory(given_name="Dafydd", family_name=child.family_name)
    InvolvementFactory(person=sibling, agency=child.involvements.get().agency)
    return sibling


@pytest.fixture
def mother(school_dsl: User) -> Person:
    return PersonFactory(given_name="Heulwen", kind="adult", created_by_agency=school_dsl.agency)


@pytest.fixture
def referral(school_dsl: User, child: Person, brother: Person, mother: Person) -> Referral:
    """One referral about two children, naming their mother as a household member."""
    return referrals.submit_referral(
        school_dsl,
        data={
            "children": [child.ref, brother.ref],
            "household": [mother.ref],
            "concern": CONCERN,
            "voice_of_child": "'There was nothing for breakfast.'",
            "voice_method": "own_words",
            "parental_awareness": "aware",
            "consent": "given",
            "priority": "standard",
        },
    )


def _api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def _new_events(before: int, user: User) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(pk__gt=before, user=user).order_by("pk"))


def _last() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("channel", ["web", "api"])
def test_is4_a_referral_about_two_children_is_logged_once_for_each_person_it_names(
    channel: str,
    gateway_worker: User,
    referral: Referral,
    child: Person,
    brother: Person,
    mother: Person,
) -> None:
    before = _last()
    if channel == "web":
        response = signed_in(gateway_worker).get(f"/referrals/{referral.ref}")
    else:
        response = _api(gateway_worker).get(f"/api/v1/referrals/{referral.ref}")
    assert response.status_code == 200 and CONCERN in response.content.decode()
    viewed = [e for e in _new_events(before, gateway_worker) if e.record_kind == "referral"]
    assert sorted((e.person_id, e.record_id, e.action) for e in viewed) == sorted(
        (p.pk, referral.ref, "view") for p in (child, brother, mother)
    )
    assert not [e for e in viewed if e.person_id is None]


def test_is4_each_child_is_told_who_read_the_referral_about_them(
    gateway_worker: User,
    team_manager: User,
    referral: Referral,
    child: Person,
    brother: Person,
) -> None:
    """On each child's "who has viewed" page and in each one's subject access export."""
    signed_in(gateway_worker).get(f"/referrals/{referral.ref}")
    manager = signed_in(team_manager)
    for person in (child, brother):
        page = manager.get(f"/people/{person.ref}/viewed").content.decode()
        assert "Viewed (Referral)" in page and str(gateway_worker) in page
        with zipfile.ZipFile(
            io.BytesIO(export_subject_access(team_manager, ref=person.ref).content)
        ) as archive:
            rows = list(csv.DictReader(io.StringIO(archive.read("who-has-viewed.csv").decode())))
        assert any(r["action"] == "Viewed" and r["record"] == "Referral" for r in rows)


@pytest.mark.parametrize("query", ["", "?status=awaiting_decision"])
def test_is4_the_api_referral_list_logs_everyone_each_listed_referral_names(
    query: str,
    gateway_worker: User,
    referral: Referral,
    child: Person,
    brother: Person,
    mother: Person,
) -> None:
    before = _last()
    response = _api(gateway_worker).get(f"/api/v1/referrals{query}")
    assert CONCERN in response.content.decode()
    listed = {(e.person_id, e.record_id, e.action) for e in _new_events(before, gateway_worker)}
    assert listed == {(p.pk, referral.ref, "list") for p in (child, brother, mother)}


def test_is4_the_web_queue_logs_the_children_it_names(
    gateway_worker: User,
    referral: Referral,
    child: Person,
    brother: Person,
) -> None:
    before = _last()
    page = signed_in(gateway_worker).get("/referrals").content.decode()
    assert child.given_name in page and brother.given_name in page
    listed = {(e.person_id, e.record_id) for e in _new_events(before, gateway_worker)}
    assert listed == {(child.pk, referral.ref), (brother.pk, referral.ref)}


def test_is4_a_list_that_shows_no_one_logs_no_one(school_dsl: User, referral: Referral) -> None:
    """The school's list shows its referrals by number only (no child's name): nothing to log."""
    before = _last()
    page = signed_in(school_dsl).get("/referrals").content.decode()
    assert referral.ref in page and "Gwenllian" not in page
    assert _new_events(before, school_dsl) == []


@pytest.mark.parametrize(
    ("persona", "path", "shows", "record_kind"),
    [
        ("social_worker", "/people/{ref}/edit", "Gwenllian", "person"),
        ("social_worker", "/people/{ref}/documents/new", "Gwenllian", "person"),
        ("team_manager", "/people/{ref}/restriction", "Gwenllian", "restriction"),
        ("team_manager", "/people/{ref}/subject-access", "Gwenllian", "person"),
        ("social_worker", "/api/v1/people/{ref}/documents", "Care plan", "document"),
    ],
)
def test_is4_pages_and_endpoints_that_show_the_record_log_the_reading(
    persona: str,
    path: str,
    shows: str,
    record_kind: str,
    child: Person,
    request: pytest.FixtureRequest,
) -> None:
    from tarian.documents.services import upload_document

    user: User = request.getfixturevalue(persona)
    if path.endswith("/documents"):
        upload_document(
            user,
            person_ref=child.ref,
            title="Care plan",
            original_name="plan.txt",
            stream=io.BytesIO(b"A plan.\n"),
        )
    client = _api(user) if path.startswith("/api/") else signed_in(user)
    before = _last()
    response = client.get(path.format(ref=child.ref))
    assert response.status_code == 200 and shows in response.content.decode()
    events = _new_events(before, user)
    assert [(e.person_id, e.record_kind) for e in events] == [(child.pk, record_kind)]


def test_is4_an_edit_form_shown_again_with_errors_is_logged(
    social_worker: User, child: Person
) -> None:
    before = _last()
    response = signed_in(social_worker).post(f"/people/{child.ref}/edit", {"version": 1})
    assert response.status_code == 200 and "Gwenllian" in response.content.decode()
    assert [e.person_id for e in _new_events(before, social_worker)] == [child.pk]


def test_is4_supervisor_and_gateway_actions_are_logged_on_each_child(
    cru_officer: User,
    gateway_worker: User,
    team_manager: User,
    child: Person,
) -> None:
    """Approving, deciding and signing off were logged with no person: now one event each."""
    from tests.factories import UserFactory

    supervisor = UserFactory(agency=cru_officer.agency, roles=["cru_supervisor"])
    made = referrals.submit_referral(
        cru_officer,
        data={
            "children": [child.ref],
            "concern": CONCERN,
            "voice_of_child": "'Hungry.'",
            "voice_method": "own_words",
            "parental_awareness": "aware",
            "consent": "given",
            "priority": "standard",
        },
    )
    referrals.approve_referral(supervisor, ref=made.ref)
    referrals.record_decision(
        gateway_worker,
        ref=made.ref,
        outcome="early_help",
        rationale="Needs are unmet but there is no sign of harm: early "
        "help from the family support team fits.",
    )
    referrals.sign_off_decision(team_manager, ref=made.ref)
    logged = AccessEvent.objects.filter(record_id=made.ref).values_list(
        "record_kind", "action", "person_id"
    )
    assert set(logged) >= {
        ("referral", "create", child.pk),
        ("referral", "update", child.pk),
        ("gateway_decision", "create", child.pk),
        ("decision_sign_off", "create", child.pk),
    }
    assert not AccessEvent.objects.filter(record_id=made.ref, person_id__isnull=True).exists()


def test_is4_the_home_page_logs_the_children_it_names(school_dsl: User, child: Person) -> None:
    """The caseload and "recently viewed" name children: each one shown is logged as listed."""
    client = signed_in(school_dsl)
    client.get(f"/people/{child.ref}")
    before = _last()
    page = client.get("/").content.decode()
    assert child.ref in page
    listed = [(e.person_id, e.action) for e in _new_events(before, school_dsl)]
    assert listed == [(child.pk, "list")]
