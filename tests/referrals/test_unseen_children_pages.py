"""FD1, FD6, IS1 (#20 item 8) on the pages: the referral form's match panel offers to refer a
child the referrer may not see, the form chooses children and household members without typing
a Tarian ID, and the Gateway confirms or rejects the record on the referral's page."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tarian.agencies.models import User
from tarian.people.models import (
    Household,
    HouseholdMember,
    Person,
    PersonKind,
    Relationship,
)
from tarian.referrals.models import Referral, UnseenChild, UnseenChildStatus
from tests.clients import signed_in
from tests.factories import InvolvementFactory, PersonFactory
from tests.referrals.test_unseen_children import assert_learns_nothing

pytestmark = pytest.mark.django_db

PANEL = {"match_given_name": "Gwen", "match_family_name": "Pryderch", "dob_day": "2",
         "dob_month": "6", "dob_year": "2015"}
CONTENT = {
    "about": "", "concern": "Gwen told her teacher at our after-school club that her stepdad "
    "hits her.", "voice_of_child": "'He hits me when mum is at work.'",
    "voice_method": "own_words", "parental_awareness": "not_told_risk",
    "consent": "not_sought", "priority": "high",
}


def panel_handle(client: Client) -> str:
    panel = client.get("/people/match", {**PANEL, "for": "referral"}).content.decode()
    found = re.findall(r'name="change" value="add_unseen:([^"]+)"', panel)
    assert len(found) == 1, panel
    return found[0]


def refer_unseen(client: Client) -> tuple[Referral, str]:
    """The referrer adds the possible match they may not see, then sends the referral."""
    handle = panel_handle(client)
    added = client.post("/referrals/new", {**CONTENT, **PANEL, "change": f"add_unseen:{handle}"})
    assert added.status_code == 200
    page = added.content.decode()
    assert "Gwen Pryderch, " in page  # "…, as you described them", in the reader's language
    kept = re.search(r'name="unseen_children" value="([^"]+)"', page)
    assert kept is not None
    sent = client.post("/referrals/new", {**CONTENT, "unseen_children": _unescape(kept[1])})
    assert sent.status_code == 302, sent.content.decode()[:3000]
    return Referral.objects.get(), page


def _unescape(value: str) -> str:
    return value.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")


def test_fd1_issue20_refer_a_child_you_cannot_see_on_the_form_and_gateway_confirms(
    child: Person, other_school_dsl: User, gateway_worker: User
) -> None:
    referrer = signed_in(other_school_dsl)
    panel = referrer.get("/people/match", {**PANEL, "for": "referral"}).content.decode()
    assert "Refer the child you typed, without seeing their record" in panel
    assert_learns_nothing(panel, child)
    referral, form_page = refer_unseen(referrer)
    assert "Gwen Pryderch, as you described them" in form_page
    assert_learns_nothing(form_page, child)
    row = UnseenChild.objects.get(referral=referral)
    assert (row.person, row.given_name, row.family_name) == (child, "Gwen", "Pryderch")
    assert str(row.date_of_birth) == "2015-06-02"
    mine = referrer.get(f"/referrals/{referral.ref}").content.decode()
    assert "Gwen Pryderch" in mine and "The Gateway checks whether" in mine
    assert_learns_nothing(mine, child)

    gateway = signed_in(gateway_worker)
    theirs = gateway.get(f"/referrals/{referral.ref}").content.decode()
    assert child.ref in theirs and "Gwenllian Prydderch" in theirs
    assert "Confirm: this is the child" in theirs
    confirmed = gateway.post(f"/referrals/{referral.ref}/unseen/{row.pk}", {
        f"unseen-{row.pk}-action": "confirm", f"unseen-{row.pk}-version": referral.version,
    })
    assert confirmed.status_code == 302
    assert list(referral.children.all()) == [child]
    after = gateway.get(f"/referrals/{referral.ref}").content.decode()
    assert "Confirmed" in after and "Confirm: this is the child" not in after
    # The referrer's page, the list and their home page still say nothing of the record.
    for url in (f"/referrals/{referral.ref}", "/referrals", "/"):
        page = referrer.get(url)
        assert page.status_code == 200
        assert_learns_nothing(page.content.decode(), child)


def test_fd1_issue20_gateway_rejects_on_the_page_with_a_reason(
    child: Person, other_school_dsl: User, gateway_worker: User
) -> None:
    referral, _page = refer_unseen(signed_in(other_school_dsl))
    row = UnseenChild.objects.get(referral=referral)
    gateway = signed_in(gateway_worker)
    url = f"/referrals/{referral.ref}/unseen/{row.pk}"
    prefix = f"unseen-{row.pk}"
    bare = gateway.post(url, {f"{prefix}-action": "reject", f"{prefix}-version": referral.version,
                              f"{prefix}-reason": ""})
    assert bare.status_code == 400
    assert "Reason" in bare.content.decode()
    rejected = gateway.post(url, {
        f"{prefix}-action": "reject", f"{prefix}-version": referral.version,
        f"{prefix}-reason": "The record is a Gwenllian who moved to Cardiff in 2019; this Gwen "
        "attends a club here every week, so they are different children.",
    })
    assert rejected.status_code == 302
    row.refresh_from_db()
    assert row.status == UnseenChildStatus.REJECTED and row.linked is None
    assert not referral.children.exists()


def test_fd1_issue20_a_changed_handle_on_the_form_is_refused_and_named(
    child: Person, other_school_dsl: User
) -> None:
    referrer = signed_in(other_school_dsl)
    rows = [{"handle": "u1.notahandleatall", "given_name": "Gwen", "family_name": "Pryderch",
             "date_of_birth": "2015-06-02"}]
    refused = referrer.post("/referrals/new", {**CONTENT, "unseen_children": json.dumps(rows)})
    assert refused.status_code == 200  # the form again, as for every refusal
    assert 'id="id_unseen_children-error"' in refused.content.decode()
    assert "This link to a possible match is not valid" in refused.content.decode()
    assert not Referral.objects.exists()
    added = referrer.post("/referrals/new", {**CONTENT, **PANEL,
                                             "change": "add_unseen:u1.notahandleatall"})
    assert added.status_code == 400
    assert "This link to a possible match is not valid" in added.content.decode()


def test_fd1_issue20_children_and_household_are_chosen_not_typed(
    school_dsl: User, child: Person
) -> None:
    mother = PersonFactory(given_name="Heulwen", family_name="Prydderch",
                           kind=PersonKind.ADULT, date_of_birth=None)
    home = Household.objects.create()
    for person in (child, mother):
        HouseholdMember.objects.create(household=home, person=person)
    InvolvementFactory(person=mother, agency=school_dsl.agency)
    client = signed_in(school_dsl)
    page = client.get(f"/referrals/new?child={child.ref}").content.decode()
    assert 'type="hidden" name="children"' in page
    assert "Tarian IDs of the children" not in page
    assert f'value="add_household:{mother.ref}"' in page
    added = client.post("/referrals/new", {**CONTENT, "children": child.ref,
                                           "change": f"add_household:{mother.ref}"})
    assert added.status_code == 200
    shown = added.content.decode()
    assert f'value="remove_household:{mother.ref}"' in shown
    assert f'value="add_household:{mother.ref}"' not in shown
    sent = client.post("/referrals/new", {**CONTENT, "children": child.ref,
                                          "household": mother.ref})
    assert sent.status_code == 302
    assert list(Referral.objects.get().household.all()) == [mother]
    removed = client.post("/referrals/new", {**CONTENT, "children": child.ref,
                                             "change": f"remove_child:{child.ref}"})
    assert "No child chosen yet" in removed.content.decode()


def test_fd1_issue20_relatives_on_the_record_are_offered_with_one_click(
    school_dsl: User, child: Person
) -> None:
    """A parent on the record who does not live with the child is offered too."""
    father = PersonFactory(given_name="Emyr", family_name="Prydderch", kind=PersonKind.ADULT,
                           date_of_birth=None)
    Relationship.objects.create(person=father, relative=child, kind="parent")
    InvolvementFactory(person=father, agency=school_dsl.agency)
    page = signed_in(school_dsl).get(f"/referrals/new?child={child.ref}").content.decode()
    assert "Related to the child, on Tarian:" in page
    assert f'value="add_household:{father.ref}"' in page


def test_fd6_issue20_adding_a_visible_match_is_one_click(
    school_dsl: User, child: Person
) -> None:
    client = signed_in(school_dsl)
    panel = client.get("/people/match", {**PANEL, "for": "referral"}).content.decode()
    assert f'value="add_child:{child.ref}"' in panel
    added = client.post("/referrals/new", {**CONTENT, "change": f"add_child:{child.ref}"})
    assert f'value="remove_child:{child.ref}"' in added.content.decode()


def test_vc2_issue20_refer_a_child_you_cannot_see_in_welsh(
    child: Person, other_school_dsl: User, gateway_worker: User
) -> None:
    referrer = signed_in(other_school_dsl, "cy")
    panel = referrer.get("/people/match", {**PANEL, "for": "referral"}).content.decode()
    assert "Atgyfeirio'r plentyn a deipiwyd gennych, heb weld ei gofnod" in panel
    referral, form_page = refer_unseen(referrer)
    assert "Gwen Pryderch, fel y gwnaethoch eu disgrifio" in form_page
    mine = referrer.get(f"/referrals/{referral.ref}").content.decode()
    assert "Mae'r Porth yn gwirio a yw'n hysbys yn barod" in mine
    assert_learns_nothing(mine, child)
    theirs = signed_in(gateway_worker, "cy").get(f"/referrals/{referral.ref}").content.decode()
    assert "Cadarnhau: dyma'r plentyn" in theirs and "Gwrthod: nid y plentyn hwn" in theirs
