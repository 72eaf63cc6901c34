"""A lost update on the conflict page (#18 item 10, IS3).

The defect: with one record open in two tabs, the second save showed "Someone else changed this
record"; "Review my changes again" then Save silently put back the first tab's stale values,
undoing what it had saved. Now the review starts from the record as saved now with the user's
own changes on top, says "another tab or window" when it was the same user, and compares
values, not how they are shown.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tarian.agencies.models import User
from tarian.audit.models import RecordVersion
from tarian.drafts.models import Draft
from tarian.people import services
from tarian.people.models import Person
from tests.clients import signed_in
from tests.web.html_forms import form_values

pytestmark = pytest.mark.django_db


def _opened(client: Client, person: Person) -> dict[str, str]:
    return form_values(client.get(f"/people/{person.ref}/edit").content.decode(), "/edit")


def _save(client: Client, person: Person, values: dict[str, str], **changes: str) -> object:
    return client.post(f"/people/{person.ref}/edit", {**values, **changes})


def test_is3_two_tabs_of_one_user_lose_nothing_saved(social_worker: User, child: Person) -> None:
    tab_a, tab_b = signed_in(social_worker), signed_in(social_worker)
    first, second = _opened(tab_a, child), _opened(tab_b, child)
    saved = _save(
        tab_a, child, first, given_name="Gwenllïan", reason="Spelling, from the birth certificate"
    )
    assert saved.status_code == 302

    conflict = _save(tab_b, child, second, known_as="Gwen", reason="Known as Gwen at school")
    page = conflict.content.decode()
    assert conflict.status_code == 409
    assert "This record was changed in another tab or window" in page
    assert "Someone else" not in page and "someone else" not in page
    assert "Gwenllïan" in page and "Gwen" in page
    assert "Date of birth" not in page.split("<table")[1]  # the same date, shown two ways

    review = _opened(tab_b, child)
    assert review["given_name"] == "Gwenllïan"  # as saved now, never the stale value again
    assert review["known_as"] == "Gwen" and review["version"] == "2"
    assert review["reason"] == "Known as Gwen at school"
    assert _save(tab_b, child, review).status_code == 302
    child.refresh_from_db()
    assert (child.given_name, child.known_as, child.version) == ("Gwenllïan", "Gwen", 3)
    assert not Draft.objects.exists()
    assert RecordVersion.objects.filter(record_id=child.ref).count() == 2


def test_is3_someone_elses_change_is_named_and_kept_and_a_clash_is_marked(
    social_worker: User, gateway_worker: User, child: Person
) -> None:
    client = signed_in(social_worker)
    opened = _opened(client, child)
    services.update_person(
        gateway_worker,
        ref=child.ref,
        version=1,
        reason="From the GP's record",
        changes={"known_as": "Gwenni", "nhs_number": "9434765919"},
    )
    page = _save(
        client, child, opened, known_as="Gwen", upn="A123456789012", reason="School records"
    ).content.decode()
    assert "Someone else changed this record while you were editing it" in page
    assert f"{gateway_worker} (Gaerwen Children&#x27;s Services) saved a new version" in page
    assert "decide which is right" in page  # known as: both changed it
    review = _opened(client, child)
    assert review["nhs_number"] == "9434765919"  # theirs, untouched by this user
    assert (review["known_as"], review["upn"]) == ("Gwen", "A123456789012")
    assert _save(client, child, review).status_code == 302
    child.refresh_from_db()
    assert (child.nhs_number, child.known_as, child.upn) == ("9434765919", "Gwen", "A123456789012")


def test_is3_a_draft_from_before_forms_said_what_they_read_keeps_what_is_saved(
    social_worker: User, gateway_worker: User, child: Person
) -> None:
    client = signed_in(social_worker)
    opened = _opened(client, child)
    del opened["read"]
    client.post(f"/people/{child.ref}/edit/autosave", {**opened, "reason": "typed"})
    services.update_person(
        gateway_worker,
        ref=child.ref,
        version=1,
        reason="Known as Gwenni",
        changes={"known_as": "Gwenni"},
    )
    restored = _opened(client, child)
    assert restored["read"] == "" and restored["version"] == "1"
    page = _save(client, child, restored, reason="typed").content.decode()
    assert "Not known" in page and "type yours again if it should change" in page
    assert _opened(client, child)["known_as"] == "Gwenni"


def test_vc2_the_conflict_page_in_welsh(social_worker: User, child: Person) -> None:
    tab_a, tab_b = signed_in(social_worker, "cy"), signed_in(social_worker, "cy")
    first, second = _opened(tab_a, child), _opened(tab_b, child)
    _save(tab_a, child, first, known_as="Gwen", reason="Yn cael ei galw'n Gwen")
    page = _save(tab_b, child, second, upn="A123456789012", reason="Cofnodion").content.decode()
    assert "Newidiwyd y cofnod hwn mewn tab neu ffenestr arall" in page
    assert "Adolygu fy newidiadau eto" in page
