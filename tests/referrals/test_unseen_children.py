"""FD1, FD6, IS1 (#20 item 8): refer a child you cannot see, by the matcher's handle, and learn
nothing about their record; the Gateway confirms or rejects the record it points to."""

from __future__ import annotations

import base64
import datetime as dt
import struct
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.audit.models import AccessEvent, RecordVersion
from tarian.errors import Refused
from tarian.notifications.models import Notification
from tarian.people.models import Person
from tarian.people.unseen import issue_handle, read_handle
from tarian.referrals.models import Referral, UnseenChild, UnseenChildStatus
from tests.factories import PersonFactory
from tests.referrals.conftest import RATIONALE

pytestmark = pytest.mark.django_db

# What the other school's DSL knows of the child: a nickname, a typo, a day out on the birth.
TYPED = {"given_name": "Gwen", "family_name": "Pryderch", "date_of_birth": "2015-06-02"}


def api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def secrets_of(person: Person) -> list[str]:
    """What the referrer must never read of the hidden record."""
    return [person.ref, person.given_name, person.family_name, person.nhs_number,
            person.date_of_birth.isoformat() if person.date_of_birth else "",
            "1 June 2015"]


def assert_learns_nothing(content: str, person: Person) -> None:
    for secret in secrets_of(person):
        assert secret not in content, secret


def referral_body(handle: str, **extra: Any) -> dict[str, Any]:
    return {
        "unseen_children": [{"handle": handle, **TYPED}],
        "concern": "Gwen told her teacher at our after-school club that her stepdad hits her.",
        "voice_of_child": "'He hits me when mum is at work.'",
        "parental_awareness": "not_told_risk", "consent": "not_sought", "priority": "high",
        **extra,
    }


def handle_from_match(client: Client) -> str:
    answer = client.get("/api/v1/people/match", TYPED).json()
    assert answer["hidden_matches"] == 1 and answer["candidates"] == []
    assert len(answer["hidden_match_handles"]) == 1
    handle: str = answer["hidden_match_handles"][0]
    return handle


def test_fd6_issue20_hidden_match_handle_reveals_nothing_and_is_not_linkable(
    child: Person, other_school_dsl: User, cru_officer: User, school_dsl: User
) -> None:
    referrer = api(other_school_dsl)
    first, second = handle_from_match(referrer), handle_from_match(referrer)
    assert first != second  # a fresh handle each time: nothing in common to compare
    assert_learns_nothing(first, child)
    # Not the record's database id either, in any form (it is sealed, not encoded).
    body = first.partition(".")[2]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert struct.pack(">Q", child.pk) not in raw
    assert read_handle(other_school_dsl, first, field="h") == child.pk
    assert read_handle(other_school_dsl, second, field="h") == child.pk
    # Another user's handle for the same child shares nothing with these.
    theirs = issue_handle(cru_officer, child.pk)
    assert theirs not in (first, second)
    common = max(len(a) for a in _common_runs(first, theirs))
    assert common < 8
    # Someone who may see the child gets the candidate and no handle.
    seen = api(school_dsl).get("/api/v1/people/match", TYPED).json()
    assert seen["hidden_matches"] == 0 and seen["hidden_match_handles"] == []


def _common_runs(a: str, b: str) -> list[str]:
    runs = [""]
    for i in range(len(a)):
        for j in range(i + 1, len(a) + 1):
            if a[i:j] in b[3:] and j - i > len(runs[-1]):
                runs.append(a[i:j])
    return runs


def test_fd1_issue20_refer_a_child_you_cannot_see_gateway_confirms(
    child: Person, other_school_dsl: User, gateway_worker: User, team_manager: User
) -> None:
    referrer = api(other_school_dsl)
    created = referrer.post("/api/v1/referrals", referral_body(handle_from_match(referrer)),
                            content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["children"] == []
    assert created.json()["unseen_children"][0]["given_name"] == "Gwen"
    assert_learns_nothing(created.content.decode(), child)
    ref = created.json()["id"]

    gateway = api(gateway_worker)
    seen = gateway.get(f"/api/v1/referrals/{ref}").json()
    row = seen["unseen_children"][0]
    assert row["record"] == child.ref and row["status"] == "waiting"
    assert (row["given_name"], row["date_of_birth"]) == ("Gwen", "2015-06-02")
    # The Gateway decides only once it has looked.
    early = gateway.post(f"/api/v1/referrals/{ref}/decision",
                         {"outcome": "strategy_discussion", "rationale": RATIONALE},
                         content_type="application/json")
    assert early.status_code == 400 and "unseen_children" in early.json()["errors"]

    confirmed = gateway.post(f"/api/v1/referrals/{ref}/unseen-children/{row['id']}",
                             {"action": "confirm", "version": seen["version"]},
                             content_type="application/json")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["children"] == [child.ref]
    assert confirmed.json()["unseen_children"][0]["status"] == "confirmed"
    referral = Referral.objects.get(ref=ref)
    assert list(referral.children.all()) == [child]
    assert AccessEvent.objects.filter(
        person_id=child.pk, record_id=ref, detail__unseen_child="confirmed"
    ).exists()
    assert RecordVersion.objects.filter(record_kind="unseen_child", record_id=f"{ref}/1",
                                        data__record=child.ref).exists()

    decided = gateway.post(f"/api/v1/referrals/{ref}/decision",
                           {"outcome": "strategy_discussion", "rationale": RATIONALE},
                           content_type="application/json")
    assert decided.status_code == 200, decided.content
    signed = api(team_manager).post(f"/api/v1/referrals/{ref}/sign-off", {},
                                    content_type="application/json")
    assert signed.status_code == 200, signed.content

    # FD5 feedback names the child as the referrer described them, never by the record.
    told = Notification.objects.get(recipient=other_school_dsl, subject__contains=ref)
    assert "Gwen Pryderch" in told.body
    assert_learns_nothing(told.subject + told.body, child)


def test_fd1_issue20_refer_a_child_you_cannot_see_referrer_learns_nothing(
    child: Person, other_school_dsl: User, gateway_worker: User
) -> None:
    referrer = api(other_school_dsl)
    ref = referrer.post("/api/v1/referrals", referral_body(handle_from_match(referrer)),
                        content_type="application/json").json()["id"]
    row = UnseenChild.objects.get(referral__ref=ref)
    version = Referral.objects.get(ref=ref).version
    api(gateway_worker).post(f"/api/v1/referrals/{ref}/unseen-children/{row.pk}",
                             {"action": "confirm", "version": version},
                             content_type="application/json")
    one = referrer.get(f"/api/v1/referrals/{ref}")
    assert one.status_code == 200
    assert one.json()["children"] == [] and one.json()["withheld"] is False
    assert one.json()["unseen_children"] == [{
        "given_name": "Gwen", "family_name": "Pryderch", "date_of_birth": "2015-06-02",
        "id": None, "status": None, "record": None, "linked": None, "reason": None,
    }]
    assert_learns_nothing(one.content.decode(), child)
    listed = referrer.get("/api/v1/referrals")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert_learns_nothing(listed.content.decode(), child)
    # Still not through the person's record, nor a second match.
    assert referrer.get(f"/api/v1/people/{child.ref}").status_code == 404


def test_fd1_issue20_a_restricted_hidden_record_withholds_nothing_from_the_referrer(
    child: Person, other_school_dsl: User, gateway_worker: User
) -> None:
    """A restricted record the referrer could not see is not even "restricted" to them: their
    referral is not withheld, and the break-glass page never names the record."""
    referrer = api(other_school_dsl)
    handle = handle_from_match(referrer)
    ref = referrer.post("/api/v1/referrals", referral_body(handle),
                        content_type="application/json").json()["id"]
    row = UnseenChild.objects.get(referral__ref=ref)
    row.status, row.linked = UnseenChildStatus.CONFIRMED, child
    row.save()
    Referral.objects.get(ref=ref).children.add(child)
    Person.objects.filter(pk=child.pk).update(is_restricted=True)
    one = referrer.get(f"/api/v1/referrals/{ref}")
    assert one.status_code == 200 and one.json()["withheld"] is False
    assert_learns_nothing(one.content.decode(), child)


def test_fd1_issue20_gateway_rejects_and_the_child_stays_as_described(
    child: Person, other_school_dsl: User, gateway_worker: User
) -> None:
    referrer = api(other_school_dsl)
    ref = referrer.post("/api/v1/referrals", referral_body(handle_from_match(referrer)),
                        content_type="application/json").json()["id"]
    row = UnseenChild.objects.get(referral__ref=ref)
    gateway = api(gateway_worker)
    url = f"/api/v1/referrals/{ref}/unseen-children/{row.pk}"
    bare = gateway.post(url, {"action": "reject", "reason": ""}, content_type="application/json")
    assert bare.status_code == 400 and "reason" in bare.json()["errors"]
    rejected = gateway.post(url, {
        "action": "reject",
        "reason": "Gwenllian on the record has lived in Cardiff since 2019 and this Gwen "
                  "attends a club in Aberwen every week, so they are different children.",
    }, content_type="application/json")
    assert rejected.status_code == 200, rejected.content
    shown = rejected.json()["unseen_children"][0]
    assert shown["status"] == "rejected" and shown["linked"] is None
    assert rejected.json()["children"] == []
    again = gateway.post(url, {"action": "confirm"}, content_type="application/json")
    assert again.status_code == 400 and "unseen_child" in again.json()["errors"]
    assert_learns_nothing(referrer.get(f"/api/v1/referrals/{ref}").content.decode(), child)


def test_fd1_issue20_gateway_rejects_and_links_the_right_record(
    child: Person, other_school_dsl: User, gateway_worker: User
) -> None:
    referrer = api(other_school_dsl)
    ref = referrer.post("/api/v1/referrals", referral_body(handle_from_match(referrer)),
                        content_type="application/json").json()["id"]
    row = UnseenChild.objects.get(referral__ref=ref)
    right = PersonFactory(given_name="Gwen", family_name="Pryderch",
                          date_of_birth=dt.date(2015, 6, 2))
    gateway = api(gateway_worker)
    url = f"/api/v1/referrals/{ref}/unseen-children/{row.pk}"
    rejected = gateway.post(url, {
        "action": "reject", "child": right.ref,
        "reason": "The record found is Gwenllian, born a day earlier at another address; Gwen "
                  "Pryderch is recorded separately with this date of birth.",
    }, content_type="application/json")
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["children"] == [right.ref]
    assert rejected.json()["unseen_children"][0]["linked"] == right.ref
    mine = referrer.get(f"/api/v1/referrals/{ref}").content.decode()
    assert right.ref not in mine
    assert_learns_nothing(mine, child)


@pytest.mark.parametrize("case", ["tampered", "another_users", "expired", "not_a_handle"])
def test_fd1_issue20_bad_handle_is_refused_naming_the_field_and_nothing_saved(
    case: str, child: Person, other_school_dsl: User, cru_officer: User
) -> None:
    referrer = api(other_school_dsl)
    handle = handle_from_match(referrer)
    if case == "tampered":
        body = handle[3:]
        flip = "A" if body[10] != "A" else "B"
        handle = handle[:3] + body[:10] + flip + body[11:]
    elif case == "another_users":
        handle = issue_handle(cru_officer, child.pk)
    elif case == "expired":
        handle = issue_handle(other_school_dsl, child.pk,
                              now=timezone.now() - dt.timedelta(hours=25))
    else:
        handle = child.ref
    refused = referrer.post("/api/v1/referrals", referral_body(handle),
                            content_type="application/json")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["unseen_children[0].handle"]
    assert_learns_nothing(refused.content.decode(), child)
    assert not Referral.objects.exists() and not UnseenChild.objects.exists()


def test_fd1_issue20_handle_read_refuses_tampered_expired_and_someone_elses(
    child: Person, other_school_dsl: User, cru_officer: User
) -> None:
    now = timezone.now()
    handle = issue_handle(other_school_dsl, child.pk, now=now)
    assert read_handle(other_school_dsl, handle, field="h", now=now) == child.pk
    for who, text, when, says in (
        (cru_officer, handle, now, "made for someone else"),
        (other_school_dsl, handle, now + dt.timedelta(hours=25), "has expired"),
        (other_school_dsl, handle[:-2] + ("AA" if handle[-2:] != "AA" else "BB"), now,
         "not valid"),
        (other_school_dsl, None, now, "not valid"),
        (other_school_dsl, "u1." + "A" * 500, now, "not valid"),
    ):
        with pytest.raises(Refused) as refused:
            read_handle(who, text, field="unseen_children[0].handle", now=when)
        assert says in refused.value.errors["unseen_children[0].handle"][0]


def test_fd4_issue20_only_the_gateway_confirms_or_rejects(
    child: Person, other_school_dsl: User, school_dsl: User, team_manager: User
) -> None:
    referrer = api(other_school_dsl)
    ref = referrer.post("/api/v1/referrals", referral_body(handle_from_match(referrer)),
                        content_type="application/json").json()["id"]
    row = UnseenChild.objects.get(referral__ref=ref)
    url = f"/api/v1/referrals/{ref}/unseen-children/{row.pk}"
    assert referrer.post(url, {"action": "confirm"},
                         content_type="application/json").status_code in (403, 404)
    assert api(school_dsl).post(url, {"action": "confirm"},
                                content_type="application/json").status_code in (403, 404)
    row.refresh_from_db()
    assert row.status == UnseenChildStatus.WAITING
    assert not Referral.objects.get(ref=ref).children.exists()


def test_fd1_contract_referral_without_unseen_children_still_needs_a_child(
    other_school_dsl: User,
) -> None:
    refused = api(other_school_dsl).post("/api/v1/referrals", {
        "concern": "A concern long enough to be a concern about a child at our club.",
        "voice_of_child": "'I am fine.'", "parental_awareness": "aware", "consent": "given",
        "priority": "standard",
    }, content_type="application/json")
    assert refused.status_code == 400 and "children" in refused.json()["errors"]


def test_is1_issue20_gateway_opens_a_restricted_record_before_confirming_it(
    child: Person, other_school_dsl: User, gateway_worker: User
) -> None:
    referrer = api(other_school_dsl)
    ref = referrer.post("/api/v1/referrals", referral_body(handle_from_match(referrer)),
                        content_type="application/json").json()["id"]
    row = UnseenChild.objects.get(referral__ref=ref)
    Person.objects.filter(pk=child.pk).update(is_restricted=True)
    refused = api(gateway_worker).post(f"/api/v1/referrals/{ref}/unseen-children/{row.pk}",
                                       {"action": "confirm"}, content_type="application/json")
    assert refused.status_code == 400
    assert "break-glass" in refused.json()["errors"]["unseen_child"][0]
    assert not Referral.objects.get(ref=ref).children.exists()


def test_is3_issue20_a_handle_to_a_record_merged_since_refers_the_record_kept(
    child: Person, other_school_dsl: User
) -> None:
    handle = issue_handle(other_school_dsl, child.pk)
    kept = PersonFactory(given_name="Gwenllian", family_name="Prydderch")
    Person.objects.filter(pk=child.pk).update(merged_into=kept)
    created = api(other_school_dsl).post("/api/v1/referrals", referral_body(handle),
                                         content_type="application/json")
    assert created.status_code == 201, created.content
    assert UnseenChild.objects.get().person == kept
    assert kept.ref not in created.content.decode()
