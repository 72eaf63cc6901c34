"""IS2: one chronology per child across agencies, narrowed to what the viewer may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessEvent
from tarian.chronology.selectors import chronology_for
from tarian.errors import NotFound
from tarian.people import services
from tarian.people.models import Involvement, Person
from tests.clients import signed_in
from tests.factories import AgencyFactory, InvolvementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def camhs(db: None) -> Agency:
    return AgencyFactory(slug="gaerwen-camhs", name="Gaerwen CAMHS", type="health")


def test_is2_chronology_merges_agencies_newest_first(
    social_worker: User, child: Person, camhs: Agency
) -> None:
    InvolvementFactory(person=child, agency=camhs, role="camhs",
                       start_date=dt.date(2025, 3, 1))
    involvement = Involvement.objects.get(person=child, agency__slug="ysgol-aberwen")
    services.end_involvement(social_worker, involvement_id=involvement.pk, version=1,
                             end_date="2025-07-18", reason="Moved to secondary school")
    result = chronology_for(social_worker, child.ref)
    kinds = [(e.kind, e.agency_slug) for e in result.events if e.kind != "record_created"]
    assert kinds[:3] == [
        ("involvement_ended", "ysgol-aberwen"),
        ("involvement_started", "gaerwen-camhs"),
        ("involvement_started", "ysgol-aberwen"),
    ]
    assert result.events[0].kind == "record_created"  # the record was made today
    assert "Moved to secondary school" in result.events[1].summary
    assert AccessEvent.objects.filter(record_kind="chronology", person_id=child.pk).exists()


def test_is2_chronology_filters_by_agency_and_date(social_worker: User, child: Person,
                                                    camhs: Agency) -> None:
    InvolvementFactory(person=child, agency=camhs, role="camhs", start_date=dt.date(2025, 3, 1))
    only_camhs = chronology_for(social_worker, child.ref, agency="gaerwen-camhs")
    assert {e.agency_slug for e in only_camhs.events} == {"gaerwen-camhs"}
    recent = chronology_for(social_worker, child.ref, since=dt.date(2025, 1, 1))
    assert all(e.at.date() >= dt.date(2025, 1, 1) for e in recent.events)
    assert ("gaerwen-camhs", "Gaerwen CAMHS") in only_camhs.agencies


def test_is1_outsider_gets_no_chronology(other_school_dsl: User, child: Person) -> None:
    with pytest.raises(NotFound):
        chronology_for(other_school_dsl, child.ref)


def test_is2_chronology_page_is_a_printable_timeline(school_dsl: User, child: Person) -> None:
    html = signed_in(school_dsl).get(f"/people/{child.ref}/chronology").content.decode()
    assert "moj-timeline" in html and "School involvement started" in html
    assert "tarian-no-print" in html


def test_is2_chronology_api_contract(social_worker: User, child: Person) -> None:
    client = Client(headers={"authorization": f"Bearer {issue_token(social_worker)}"})
    body = client.get(f"/api/v1/children/{child.ref}/chronology").json()
    assert all({"at", "kind", "agency", "summary"} <= set(e) for e in body["events"])
    started = [e for e in body["events"] if e["kind"] == "involvement_started"]
    assert started[0]["agency"] == "ysgol-aberwen"
    bad = client.get(f"/api/v1/children/{child.ref}/chronology?since=yesterday")
    assert bad.status_code == 400 and "since" in bad.json()["errors"]
