"""The record's change history in words (IS2, IS3; #20 item 10): field labels as on the edit
form, readable values in the reader's language, what changed marked in words and visibly, and
no history for those who may not read it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tarian.agencies.models import Agency, User
from tarian.people.history import history_entries
from tarian.people.models import Person
from tarian.people.restriction import set_restriction
from tarian.people.selectors import record_history
from tarian.people.services import add_involvement, create_person, end_involvement, update_person
from tests.clients import signed_in

pytestmark = pytest.mark.django_db

CREATED = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
CHANGED = dt.datetime(2026, 3, 4, 14, 5, tzinfo=dt.UTC)  # 14:05 in London (GMT)
REASON = "Mother confirmed the details at the home visit"


def _at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _changed_child(user: User, monkeypatch: pytest.MonkeyPatch) -> Person:
    _at(monkeypatch, CREATED)
    person = create_person(
        user,
        data={"kind": "child", "given_name": "Rhys", "family_name": "Owen", "known_as": "Rhysi",
              "first_language": "en"},
    )
    _at(monkeypatch, CHANGED)
    return update_person(
        user, ref=person.ref, version=1, reason=REASON,
        changes={"sex": "female", "first_language": "cy", "date_of_birth": "2016-03-04",
                 "ethnicity": "white_british", "known_as": ""},
    )


def _entry(html: str, marker: str) -> str:
    """The part of the page from the entry whose heading holds ``marker`` to the next entry."""
    start = html.index(marker)
    end = html.find('class="tarian-version"', start)
    return html[start:] if end < 0 else html[start:end]


def test_is2_issue20_change_history_uses_labels_and_readable_values(
    social_worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = _changed_child(social_worker, monkeypatch)
    html = signed_in(social_worker).get(f"/people/{person.ref}/history").content.decode()
    change = _entry(html, "version 2")
    assert f"By {social_worker}, Gaerwen Children" in change
    assert "on 4 March 2026 at 14:05" in change and REASON in change
    assert "What changed" in change
    for label, was, now in (
        ("First language", "English", "Welsh"),
        ("Sex", "Not known", "Female"),
        ("Date of birth", "Not recorded", "4 March 2016"),
        ("Ethnicity", "Not recorded",
         "White: Welsh, English, Scottish, Northern Irish or British"),
        ("Known as", "Rhysi", "Not recorded"),
    ):
        row = change[change.index(f">{label}</dt>"):]
        row = row[: row.index("</dd>")]
        # Marked in words ("Was:", "Now:") and visibly (struck through, and inserted).
        assert f"Was: <del>{was}</del>" in row and f"Now: <ins>{now}</ins>" in row, label
    for raw in ("first_language", "white_british", ">cy<", "2016-03-04", ">female<"):
        assert raw not in html, raw


def test_is2_issue20_only_what_changed_is_marked(
    social_worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = _changed_child(social_worker, monkeypatch)
    _, versions = record_history(social_worker, person.ref)
    changed, created = history_entries(versions)
    assert [row.name for row in changed.changes] == [
        "known_as", "date_of_birth", "sex", "ethnicity", "first_language"
    ]
    assert all(row.is_changed for row in changed.changes)
    assert not changed.is_first and created.is_first
    # The first version says what was recorded, blanks left out, nothing marked as changed.
    assert [(row.label, row.after) for row in created.changes if row.name != "welsh_active_offer"
            ] == [("Child, unborn baby or adult", "Child"), ("Given name", "Rhys"),
                  ("Family name", "Owen"), ("Known as", "Rhysi"), ("Sex", "Not known"),
                  ("First language", "English"), ("Needs an interpreter", "No")]
    assert not any(row.is_changed for row in created.changes)
    html = signed_in(social_worker).get(f"/people/{person.ref}/history").content.decode()
    first = _entry(html, "version 1")
    assert "What was recorded" in first and "<del>" not in first and "Was:" not in first
    assert "<dt class=\"govuk-summary-list__key\">Family name</dt>" not in _entry(
        html, "version 2"
    ).split("The record as it stood")[0]


def test_is2_issue20_change_history_in_welsh(
    social_worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = _changed_child(social_worker, monkeypatch)
    html = signed_in(social_worker, "cy").get(f"/people/{person.ref}/history").content.decode()
    change = _entry(html, "fersiwn 2")
    assert "ar 4 Mawrth 2026 am 14:05" in change
    assert "Beth newidiodd" in change
    for label, was, now in (
        ("Iaith gyntaf", "Saesneg", "Cymraeg"),
        ("Rhyw", "Anhysbys", "Benyw"),
        ("Dyddiad geni", "Heb ei gofnodi", "4 Mawrth 2016"),
        ("Ethnigrwydd", "Heb ei gofnodi",
         "Gwyn: Cymreig, Seisnig, Albanaidd, Gwyddelig Gogledd Iwerddon neu Brydeinig"),
    ):
        row = change[change.index(f">{label}</dt>"):]
        row = row[: row.index("</dd>")]
        assert f"Cynt: <del>{was}</del>" in row and f"Nawr: <ins>{now}</ins>" in row, label
    first = _entry(html, "fersiwn 1")
    # What was recorded, and the reason Tarian wrote itself, in Welsh too.
    assert "Beth a gofnodwyd" in first and "Cofnod newydd" in first
    assert "Plentyn, babi heb ei eni neu oedolyn" in first and "Plentyn<" in first


def test_is2_issue20_involvements_and_restriction_read_by_name(
    social_worker: User, team_manager: User, school: Agency, school_dsl: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = _changed_child(social_worker, monkeypatch)
    involvement = add_involvement(
        social_worker, person_ref=person.ref, agency_slug=school.slug, role="school",
        start_date="2026-01-05", professional=school_dsl.username,
    )
    end_involvement(social_worker, involvement_id=involvement.pk, version=1,
                    end_date="2026-03-04", reason="Moved school")
    set_restriction(team_manager, person=person, restricted=True, reason="Family's request",
                    named_usernames=[social_worker.username])
    html = signed_in(social_worker).get(f"/people/{person.ref}/history").content.decode()
    ended = _entry(html, "Involvement, version 2")
    assert "Was: <del>Not recorded</del>" in ended and "Now: <ins>4 March 2026</ins>" in ended
    assert "Moved school" in ended
    started = _entry(html, "Involvement, version 1")
    assert school.name in started and ">School<" in started and str(school_dsl) in started
    assert school.slug not in html and "5 January 2026" in started
    # A record is not restricted until someone restricts it: the first restriction is a change.
    restricted = _entry(html, "Restriction of a record")
    assert ">Restricted</dt>" in restricted
    assert "Was: <del>No</del>" in restricted and "Now: <ins>Yes</ins>" in restricted
    assert str(team_manager) in restricted and str(social_worker) in restricted
    assert team_manager.username not in restricted


def test_is2_issue20_a_change_to_a_record_loaded_without_versions_says_what_is_not_known(
    social_worker: User, child: Person
) -> None:
    update_person(social_worker, ref=child.ref, version=child.version,
                  changes={"first_language": "cy"}, reason="Speaks Welsh at home")
    html = signed_in(social_worker).get(f"/people/{child.ref}/history").content.decode()
    entry = _entry(html, "version 2")
    assert "The record as saved" in entry and "What changed cannot be shown" in entry
    assert "Was:" not in entry and "Welsh" in entry and "What changed<" not in entry


def test_is2_issue20_restricted_history_not_shown_to_those_not_named(
    social_worker: User, gateway_worker: User, team_manager: User, other_school_dsl: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = _changed_child(social_worker, monkeypatch)
    set_restriction(team_manager, person=person, restricted=True, reason="Family's request",
                    named_usernames=[])
    for user in (gateway_worker, social_worker, other_school_dsl):
        # Offered the break-glass page (those who may break the glass) or not found: either
        # way, nothing of the record's history.
        response = signed_in(user).get(f"/people/{person.ref}/history", follow=True)
        html = response.content.decode()
        assert response.status_code in (200, 403, 404), user
        assert "Changes to this record" not in html, user
        for secret in (REASON, "Welsh", "4 March 2016", "Family's request", "What changed"):
            assert secret not in html, (user, secret)
    # The team manager, named on it, still reads it.
    assert REASON in signed_in(team_manager).get(f"/people/{person.ref}/history").content.decode()


def _queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_is2_issue20_history_page_does_not_query_per_entry(
    social_worker: User, team_manager: User, school: Agency, school_dsl: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = _changed_child(social_worker, monkeypatch)
    involvement = add_involvement(
        social_worker, person_ref=person.ref, agency_slug=school.slug, role="school",
        start_date="2026-01-05", professional=school_dsl.username,
    )
    set_restriction(team_manager, person=person, restricted=True, reason="Family's request",
                    named_usernames=[social_worker.username])
    client = signed_in(team_manager)
    path = f"/people/{person.ref}/history"
    few = _queries(client, path)
    # The page's own reads, the versions (each with the one before it, in one statement), then
    # the agencies and the people they name: once a page, however many entries.
    assert few == 14
    person.refresh_from_db()
    for n in range(12):
        person = update_person(team_manager, ref=person.ref, version=person.version,
                               changes={"known_as": f"Rhys {n}"}, reason=f"Correction {n}")
    end_involvement(social_worker, involvement_id=involvement.pk, version=1,
                    end_date="2026-03-04", reason="Moved school")
    set_restriction(team_manager, person=person, restricted=True, reason="Named more",
                    named_usernames=[social_worker.username, school_dsl.username])
    assert _queries(client, path) == few
    assert _queries(client, path + "?page=1") == few
