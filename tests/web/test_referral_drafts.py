"""Referral drafts never cross between children, and every draft can be resumed or discarded
(#18 item 9, IS1, VC2).

The defect: every referral a user began shared one draft, so an unsent draft about one child
(its Tarian ID and concern) appeared in a new referral opened from another child's record, and
nothing offered to discard it.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessEvent
from tarian.drafts.models import Draft
from tarian.people.models import Person
from tests.clients import signed_in
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db
CONCERN_A = "Gwenllian said her uncle hit her with a belt on Saturday."


@pytest.fixture
def brother(school: Agency) -> Person:
    person = PersonFactory(given_name="Dafydd", family_name="Llwyd")
    InvolvementFactory(person=person, agency=school)
    return person


def _children_field(page: str) -> str:
    found = re.search(r'name="children"[^>]*value="([^"]*)"', page)
    return found.group(1) if found else ""


def _type_about(client: Client, subject: str, children: str, concern: str) -> None:
    response = client.post(
        "/referrals/new/autosave", {"about": subject, "children": children, "concern": concern}
    )
    assert response.status_code == 200 and "Saved as a draft" in response.content.decode()


def test_is1_a_draft_about_one_child_never_fills_in_another_childs_referral(
    school_dsl: User, child: Person, brother: Person
) -> None:
    client = signed_in(school_dsl)
    opened = client.get(f"/referrals/new?child={child.ref}").content.decode()
    assert _children_field(opened) == child.ref
    assert f'name="about" value="{child.ref}"' in opened
    _type_about(client, child.ref, child.ref, CONCERN_A)

    other = client.get(f"/referrals/new?child={brother.ref}").content.decode()
    assert _children_field(other) == brother.ref
    assert child.ref not in other and "uncle hit her" not in other
    assert "We restored the report" not in other

    again = client.get(f"/referrals/new?child={child.ref}").content.decode()
    assert _children_field(again) == child.ref and CONCERN_A in again
    assert "We restored the report you had not sent" in again
    assert "Discard it and start again" in again


def test_is1_a_referral_begun_without_a_child_is_its_own_draft(
    school_dsl: User, child: Person, brother: Person
) -> None:
    client = signed_in(school_dsl)
    _type_about(client, "", child.ref, CONCERN_A)
    assert CONCERN_A in client.get("/referrals/new").content.decode()
    other = client.get(f"/referrals/new?child={brother.ref}").content.decode()
    assert "uncle hit her" not in other and _children_field(other) == brother.ref
    # Coming back from recording a child (or "add to this referral") adds to the same draft.
    added = client.get(f"/referrals/new?about=&child={brother.ref}").content.decode()
    assert _children_field(added) == f"{child.ref}, {brother.ref}" and CONCERN_A in added


def test_sending_a_referral_discards_only_its_own_draft(
    school_dsl: User, child: Person, brother: Person
) -> None:
    client = signed_in(school_dsl)
    _type_about(client, brother.ref, brother.ref, "Dafydd's draft, not sent yet.")
    response = client.post(
        "/referrals/new",
        {
            "about": child.ref,
            "children": child.ref,
            "concern": CONCERN_A,
            "voice_of_child": "'He hit me.'",
            "voice_method": "own_words",
            "parental_awareness": "aware",
            "consent": "given",
            "priority": "standard",
        },
    )
    assert response.status_code == 302
    assert list(Draft.objects.values_list("subject", flat=True)) == [brother.ref]


def test_drafts_are_listed_with_resume_and_discard_and_discarding_removes_them(
    school_dsl: User, child: Person, brother: Person
) -> None:
    client = signed_in(school_dsl)
    _type_about(client, child.ref, child.ref, CONCERN_A)
    _type_about(client, "", "", "Begun from the referrals page.")
    home = client.get("/").content.decode()
    assert f"Unsent report about Gwenllian Prydderch ({child.ref})" in home
    assert "Unsent report, begun without a child" in home
    assert f'href="/referrals/new?about={child.ref}"' in home
    # Naming the child on the page is a read of their record (IS4).
    assert AccessEvent.objects.filter(person_id=child.pk, detail={"list": "drafts"}).count() == 1
    listed = client.get("/referrals").content.decode()
    assert "Unsent reports" in listed and f"({child.ref})" in listed

    draft = Draft.objects.get(subject=child.ref)
    response = client.post(f"/drafts/{draft.pk}/discard", {"next": "/referrals"})
    assert response.status_code == 302 and response["Location"] == "/referrals"
    assert not Draft.objects.filter(pk=draft.pk).exists()
    page = client.get(f"/referrals/new?child={child.ref}").content.decode()
    assert "uncle hit her" not in page and "The draft was discarded" in page


def test_a_draft_about_a_child_out_of_sight_is_listed_without_them(
    school_dsl: User,
) -> None:
    hidden = PersonFactory(given_name="Cuddiedig")
    client = signed_in(school_dsl)
    _type_about(client, hidden.ref, hidden.ref, "Typed before the school's involvement ended.")
    home = client.get("/").content.decode()
    assert "Unsent report about a child you cannot see now" in home
    assert "Cuddiedig" not in home


def test_someone_elses_draft_cannot_be_discarded_and_next_stays_on_site(
    school_dsl: User, other_school_dsl: User, child: Person
) -> None:
    _type_about(signed_in(school_dsl), child.ref, child.ref, CONCERN_A)
    draft = Draft.objects.get()
    assert signed_in(other_school_dsl).post(f"/drafts/{draft.pk}/discard").status_code == 404
    assert Draft.objects.filter(pk=draft.pk).exists()
    response = signed_in(school_dsl).post(
        f"/drafts/{draft.pk}/discard", {"next": "https://elsewhere.example/"}
    )
    assert response["Location"] == "/"


def test_a_draft_subject_that_is_not_a_tarian_id_is_refused_naming_the_field(
    school_dsl: User,
) -> None:
    client = signed_in(school_dsl)
    response = client.post("/referrals/new/autosave", {"about": "../T1", "concern": "x"})
    assert (
        response.status_code == 400 and "“about” must be a Tarian ID" in response.content.decode()
    )
    assert not Draft.objects.exists()
    bad_child = client.get("/referrals/new?child=not-an-id")
    assert bad_child.status_code == 400 and "“child”" in bad_child.content.decode()


def test_vc2_drafts_are_listed_in_welsh(school_dsl: User, child: Person) -> None:
    client = signed_in(school_dsl, "cy")
    _type_about(signed_in(school_dsl), child.ref, child.ref, CONCERN_A)
    home = client.get("/").content.decode()
    assert f"Adroddiad heb ei anfon am Gwenllian Prydderch ({child.ref})" in home
    assert "Ailddechrau" in home and "Dileu" in home
