"""IS2: one chronology per child across agencies, narrowed to what the viewer may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

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


# Issue 20 item 10: times of day, plain labels, and a printout that says who printed it, when,
# and how it must be handled.


def test_is2_20_page_shows_times_of_day_and_plain_role_labels(
    social_worker: User, child: Person, camhs: Agency
) -> None:
    InvolvementFactory(person=child, agency=camhs, role="gp", start_date=dt.date(2025, 3, 1))
    html = signed_in(social_worker).get(f"/people/{child.ref}/chronology").content.decode()
    # An involvement is known by its day only: no invented time of day.
    assert '<time datetime="2025-03-01">1 March 2025</time>' in html
    # The record was made at a moment: its time of day is shown.
    made = timezone.localtime(child.created_at)
    assert f'{made:%-d %B %Y}, {made:%H:%M}</time>' in html
    # A role's label as written in a sentence: "as GP", never the code or "as gp".
    assert "began working with the child as GP" in html
    assert "as gp" not in html


def test_is2_20_printout_names_the_printer_and_carries_the_protective_marking(
    social_worker: User, child: Person, camhs: Agency, settings: Any
) -> None:
    InvolvementFactory(person=child, agency=camhs, role="camhs", start_date=dt.date(2025, 3, 1))
    client = signed_in(social_worker)
    html = client.get(f"/people/{child.ref}/chronology?agency=gaerwen-camhs").content.decode()
    assert html.count('<p class="tarian-print-only tarian-marking">OFFICIAL-SENSITIVE</p>') == 2
    agency = social_worker.agency
    assert agency is not None
    assert escape(f"Printed by {social_worker} ({agency.name}) on ") in html
    assert "Only events from Gaerwen CAMHS." in html
    settings.TARIAN_PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE PERSONAL"
    html = client.get(f"/people/{child.ref}/chronology").content.decode()
    assert '<p class="tarian-print-only tarian-marking">OFFICIAL-SENSITIVE PERSONAL</p>' in html
    assert "Only events from" not in html


def test_is2_vc2_20_welsh_printout_and_agency_names(
    social_worker: User, child: Person, settings: Any
) -> None:
    agency = AgencyFactory(slug="bwrdd-iechyd", name="Gaerwen Health Board",
                           name_cy="Bwrdd Iechyd Gaerwen", type="health")
    InvolvementFactory(person=child, agency=agency, role="gp", start_date=dt.date(2025, 3, 1))
    html = signed_in(social_worker, "cy").get(f"/people/{child.ref}/chronology").content.decode()
    assert "SWYDDOGOL-SENSITIF" in html
    assert "Argraffwyd gan" in html
    assert "Bwrdd Iechyd Gaerwen" in html
