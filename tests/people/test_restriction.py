"""IS1: restricted records are seen only by named people, or through audited break-glass."""

from __future__ import annotations

import pytest
from django.core import mail

from tarian.agencies.models import User
from tarian.audit.models import AccessEvent
from tarian.errors import Forbidden, NotFound, Refused, Restricted
from tarian.notifications.models import Notification
from tarian.people import restriction, search, selectors
from tarian.people.models import Person
from tests.clients import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REASON = "Child at the front door now; checking for a protection plan before deciding"


@pytest.fixture
def restricted_child(team_manager: User, social_worker: User, child: Person) -> Person:
    return restriction.set_restriction(
        team_manager, person=child, restricted=True,
        reason="The child's mother works in the Gateway team", named_usernames=["owain"],
    )


def test_is1_restricted_record_hidden_from_colleague_not_named(
    gateway_worker: User, restricted_child: Person
) -> None:
    with pytest.raises(Restricted):
        selectors.view_person(gateway_worker, restricted_child.ref)
    assert search.search_people(gateway_worker, "gwenllian").people == []
    assert search.search_people(gateway_worker, "gwenllian").restricted == [restricted_child.ref]


def test_is1_named_people_see_restricted_record(
    social_worker: User, team_manager: User, restricted_child: Person
) -> None:
    assert selectors.view_person(social_worker, restricted_child.ref).person.is_restricted
    assert selectors.view_person(team_manager, restricted_child.ref)  # named automatically


def test_is1_outsider_does_not_even_learn_it_is_restricted(
    other_school_dsl: User, restricted_child: Person
) -> None:
    with pytest.raises(NotFound):
        selectors.view_person(other_school_dsl, restricted_child.ref)
    assert search.search_people(other_school_dsl, "gwenllian").restricted == []
    with pytest.raises(NotFound):
        restriction.open_restricted_record(other_school_dsl, ref=restricted_child.ref,
                                           reason=REASON)


def test_is1_break_glass_needs_a_real_reason(gateway_worker: User,
                                             restricted_child: Person) -> None:
    with pytest.raises(Refused) as refused:
        restriction.open_restricted_record(gateway_worker, ref=restricted_child.ref,
                                           reason="need it")
    assert "reason" in refused.value.errors
    with pytest.raises(Restricted):
        selectors.view_person(gateway_worker, restricted_child.ref)


def test_is1_break_glass_opens_record_audits_and_alerts_managers(
    gateway_worker: User, team_manager: User, social_worker: User, restricted_child: Person,
    django_capture_on_commit_callbacks: object,
) -> None:
    team_manager.email = "catrin@example.org"
    team_manager.save()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        restriction.open_restricted_record(gateway_worker, ref=restricted_child.ref,
                                           reason=REASON)
    assert selectors.view_person(gateway_worker, restricted_child.ref).person == restricted_child
    event = AccessEvent.objects.get(action="break_glass", person_id=restricted_child.pk)
    assert event.detail["reason"] == REASON
    alerted = set(Notification.objects.values_list("recipient__username", flat=True))
    assert alerted == {"catrin", "owain"}
    assert mail.outbox and "opened a restricted record" in mail.outbox[0].subject
    assert "Gwenllian" not in mail.outbox[0].body  # no child's details in email


def test_is1_only_team_manager_may_restrict(social_worker: User, child: Person) -> None:
    with pytest.raises(Forbidden):
        restriction.set_restriction(social_worker, person=child, restricted=True, reason="x",
                                    named_usernames=[])


def test_set_restriction_names_unknown_users_and_needs_reason(team_manager: User,
                                                              child: Person) -> None:
    with pytest.raises(Refused) as refused:
        restriction.set_restriction(team_manager, person=child, restricted=True, reason=" ",
                                    named_usernames=["nobody"])
    assert set(refused.value.errors) == {"reason", "named"}


def test_is1_restricted_page_offers_break_glass_and_api_says_403(
    gateway_worker: User, restricted_child: Person
) -> None:
    client = signed_in(gateway_worker)
    response = client.get(f"/people/{restricted_child.ref}")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 403 and b"This record is restricted" in page.content
    assert b"Gwenllian" not in page.content
    opened = client.post(f"/people/{restricted_child.ref}/break-glass", {"reason": REASON})
    assert opened.status_code == 302
    assert client.get(f"/people/{restricted_child.ref}").status_code == 200

    from tarian.agencies.credentials import issue_token

    other = UserFactory(agency=gateway_worker.agency, roles=["gateway_worker"])
    api = signed_in(other)
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(other)}"
    denied = api.get(f"/api/v1/people/{restricted_child.ref}")
    assert denied.status_code == 403 and denied.json()["restricted"] is True
    assert api.post(f"/api/v1/people/{restricted_child.ref}/break-glass", {"reason": REASON},
                    content_type="application/json").status_code == 200
    assert api.get(f"/api/v1/people/{restricted_child.ref}").status_code == 200


def test_is1_team_manager_manages_restriction_on_the_page(team_manager: User,
                                                          child: Person) -> None:
    client = signed_in(team_manager)
    empty = client.post(f"/people/{child.ref}/restriction", {})
    assert b"Say whether the record is restricted" in empty.content
    saved = client.post(f"/people/{child.ref}/restriction",
                        {"restricted": "yes", "named": "", "reason": "High-profile case"})
    assert saved.status_code == 302
    child.refresh_from_db()
    assert child.is_restricted
