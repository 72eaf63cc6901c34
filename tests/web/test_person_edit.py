"""Nothing lost: autosaved drafts, versioned saves, and a visible conflict page (IS3)."""

from __future__ import annotations

from typing import Any

import pytest

from tarian.agencies.models import User
from tarian.drafts.models import Draft
from tarian.people import services
from tarian.people.conflicts import values_read
from tarian.people.forms import COMPARED
from tarian.people.models import Person
from tests.clients import signed_in

pytestmark = pytest.mark.django_db


def form(person: Person, **changes: Any) -> dict[str, Any]:
    data = {
        "version": person.version, "read": values_read(person, COMPARED),
        "given_name": person.given_name,
        "family_name": person.family_name, "known_as": "", "dob_day": "1", "dob_month": "6",
        "dob_year": "2015", "sex": "female", "ethnicity": "", "first_language": "cy",
        "welsh_active_offer": "accepted", "nhs_number": person.nhs_number, "upn": "",
        "reason": "Corrected from the school's admission form",
    }
    data.update(changes)
    return data


def test_is3_edit_saves_a_new_version_with_reason(social_worker: User, child: Person) -> None:
    client = signed_in(social_worker)
    assert b"Change details" in client.get(f"/people/{child.ref}").content
    response = client.post(f"/people/{child.ref}/edit", form(child, known_as="Gwen"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.known_as, child.version, child.first_language) == ("Gwen", 2, "cy")
    assert b"The record was saved" in client.get(f"/people/{child.ref}").content


def test_edit_errors_are_named_and_nothing_is_saved(social_worker: User, child: Person) -> None:
    client = signed_in(social_worker)
    html = client.post(
        f"/people/{child.ref}/edit",
        form(child, nhs_number="1234567890", dob_day="31", dob_month="2", reason=""),
    ).content.decode()
    assert "govuk-error-summary" in html
    assert "Say why you are changing this record" in html
    assert "Date of birth must be a real date" in html
    child.refresh_from_db()
    assert child.version == 1


def test_edit_service_errors_reach_the_form(social_worker: User, child: Person) -> None:
    html = signed_in(social_worker).post(
        f"/people/{child.ref}/edit", form(child, nhs_number="1234567890")
    ).content.decode()
    assert 'href="#id_nhs_number"' in html and "not valid" in html


def test_autosave_keeps_a_private_draft_and_restores_it(
    social_worker: User, gateway_worker: User, child: Person
) -> None:
    client = signed_in(social_worker)
    status = client.post(f"/people/{child.ref}/edit/autosave", form(child, known_as="Llian"))
    assert b"Saved as a draft" in status.content
    draft = Draft.objects.get(user=social_worker)
    assert draft.data["known_as"] == ["Llian"] and "csrfmiddlewaretoken" not in draft.data
    restored = client.get(f"/people/{child.ref}/edit").content.decode()
    assert 'value="Llian"' in restored and "We restored the changes" in restored
    other = signed_in(gateway_worker).get(f"/people/{child.ref}/edit").content.decode()
    assert "Llian" not in other
    client.post(f"/people/{child.ref}/edit/discard")
    assert not Draft.objects.exists()


def test_is3_stale_save_shows_both_versions_and_keeps_typing(
    social_worker: User, gateway_worker: User, child: Person
) -> None:
    client = signed_in(social_worker)
    stale = form(child, known_as="Llian")
    services.update_person(gateway_worker, ref=child.ref, version=1,
                           changes={"known_as": "Gwen"}, reason="Known as Gwen at school")
    response = client.post(f"/people/{child.ref}/edit", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this record" in html and "Gwen" in html and "Llian" in html
    child.refresh_from_db()
    assert child.known_as == "Gwen"
    # Reviewing again restores what they typed, based on the version they have now seen.
    again = client.get(f"/people/{child.ref}/edit").content.decode()
    assert 'value="Llian"' in again and 'name="version" value="2"' in again
    saved = client.post(f"/people/{child.ref}/edit", form(child, known_as="Llian", version=2))
    assert saved.status_code == 302
    child.refresh_from_db()
    assert (child.known_as, child.version) == ("Llian", 3)


def test_is1_school_of_another_child_cannot_edit_or_autosave(
    other_school_dsl: User, child: Person
) -> None:
    client = signed_in(other_school_dsl)
    assert client.get(f"/people/{child.ref}/edit").status_code == 404
    assert client.post(f"/people/{child.ref}/edit/autosave", {"known_as": "x"}).status_code == 404
    assert not Draft.objects.exists()
