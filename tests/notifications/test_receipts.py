"""SM4 (000 §3.10: minutes not circulated in a timely way), issue 21: what a workflow
circulates to many agencies, one receipt per agency and person named there, opened and
acknowledged; built once in ``notifications`` for every workflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, User
from tarian.errors import NotFound, Refused
from tarian.notifications.api import AgencyReceiptSerializer
from tarian.notifications.circulation import acknowledge, circulate, mark_opened
from tarian.notifications.models import Circulation, Notification, NotificationKind, Receipt
from tarian.notifications.selectors import (
    circulation_for,
    latest_receipts_by_agency,
    my_receipts_to_acknowledge,
)
from tests.clients import signed_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
LINK = "/meetings/SM-12"


def _minutes() -> tuple[str, str]:
    return _("Notifications"), _("Menu")


def _circulate(sender: User, recipients: Any, *, what: str = "minutes",
               now: dt.datetime = SENT, subject_id: str = "SM-12") -> Circulation:
    return circulate(
        sender, subject_kind="strategy_meeting", subject_id=subject_id, what=what,
        title="Minutes of strategy meeting SM-12", link=LINK, recipients=recipients,
        message=_minutes, now=now,
    )


@pytest.fixture
def sent(
    social_worker: User, cru_officer: User, police: Agency, school: Agency,
    school_dsl: User, childrens_services: Agency,
) -> Circulation:
    """Minutes to the police (the officer named) and to the school as a whole."""
    return _circulate(social_worker, [(police, [cru_officer]), (school, [])])


def test_sm4_every_recipient_agency_gets_a_receipt(
    sent: Circulation, police: Agency, school: Agency, cru_officer: User, school_dsl: User
) -> None:
    receipts = {(r.agency_id, r.recipient_id): r for r in Receipt.objects.all()}
    assert set(receipts) == {(police.pk, cru_officer.pk), (school.pk, None)}
    officers = receipts[(police.pk, cru_officer.pk)]
    assert officers.notification is not None
    assert officers.notification.recipient == cru_officer
    assert officers.notification.link == LINK
    assert officers.notification.kind == NotificationKind.CIRCULATION
    # The school's receipt is the agency's; its active users are told.
    assert receipts[(school.pk, None)].notification is None
    assert Notification.objects.filter(recipient=school_dsl, link=LINK).exists()
    assert all(r.sent_at == SENT for r in receipts.values())


def test_sm4_a_named_recipient_must_work_at_the_agency(
    social_worker: User, police: Agency, school_dsl: User
) -> None:
    with pytest.raises(Refused) as refused:
        _circulate(social_worker, [(police, [school_dsl])])
    assert "recipients" in refused.value.errors
    assert not Circulation.objects.exists()


@pytest.mark.parametrize(
    ("field", "changes"),
    [("title", {"title": "  "}), ("link", {"link": "https://elsewhere.example/"}),
     ("recipients", {"recipients": []})],
)
def test_sm4_circulating_nothing_to_nobody_is_refused(
    social_worker: User, police: Agency, field: str, changes: dict[str, Any]
) -> None:
    arguments: dict[str, Any] = {
        "subject_kind": "strategy_meeting", "subject_id": "SM-12", "what": "minutes",
        "title": "Minutes", "link": LINK, "recipients": [(police, [])], "message": _minutes,
    }
    with pytest.raises(Refused) as refused:
        circulate(social_worker, **{**arguments, **changes})
    assert field in refused.value.errors
    assert not Circulation.objects.exists() and not Notification.objects.exists()


def test_sm4_an_agency_whose_named_people_have_left_gets_an_agency_level_receipt(
    social_worker: User, police: Agency, cru_officer: User
) -> None:
    gone = UserFactory(agency=police, is_active=False)
    _circulate(social_worker, [(police, [gone])])
    receipt = Receipt.objects.get()
    assert receipt.recipient is None
    assert Notification.objects.filter(recipient=cru_officer).exists()
    assert not Notification.objects.filter(recipient=gone).exists()


def test_sm4_opening_marks_only_the_readers_receipts(
    social_worker: User, police: Agency, cru_officer: User
) -> None:
    colleague = UserFactory(agency=police, roles=["cru_supervisor"])
    _circulate(social_worker, [(police, [cru_officer, colleague])])
    _circulate(social_worker, [(police, [cru_officer])], subject_id="SM-13")
    opened = SENT + dt.timedelta(hours=1)
    assert mark_opened(cru_officer, subject_kind="strategy_meeting", subject_id="SM-12",
                       now=opened) == 1
    assert mark_opened(cru_officer, subject_kind="strategy_meeting", subject_id="SM-12",
                       now=opened + dt.timedelta(hours=1)) == 0  # the first time is kept
    mine = Receipt.objects.get(recipient=cru_officer, circulation__subject_id="SM-12")
    assert mine.opened_at == opened
    assert Receipt.objects.get(recipient=colleague).opened_at is None
    assert Receipt.objects.get(circulation__subject_id="SM-13").opened_at is None


def test_sm4_opening_is_one_statement(sent: Circulation, cru_officer: User) -> None:
    with CaptureQueriesContext(connection) as captured:
        mark_opened(cru_officer, subject_kind="strategy_meeting", subject_id="SM-12")
    assert len(captured) == 1


def test_sm4_agency_level_receipt_opened_by_any_user_of_that_agency(
    sent: Circulation, school: Agency, other_school_dsl: User, social_worker: User
) -> None:
    teacher = UserFactory(agency=school)
    for outsider in (other_school_dsl, social_worker):
        assert mark_opened(outsider, subject_kind="strategy_meeting", subject_id="SM-12") == 0
    opened = SENT + dt.timedelta(minutes=5)
    assert mark_opened(teacher, subject_kind="strategy_meeting", subject_id="SM-12",
                       now=opened) == 1
    assert Receipt.objects.get(agency=school).opened_at == opened
    receipt = acknowledge(teacher, receipt_id=Receipt.objects.get(agency=school).pk)
    assert receipt.acknowledged_by == teacher


def test_sm4_acknowledging_implies_opened_and_keeps_the_first_time(
    sent: Circulation, cru_officer: User
) -> None:
    receipt = Receipt.objects.get(recipient=cru_officer)
    first = SENT + dt.timedelta(hours=2)
    acknowledged = acknowledge(cru_officer, receipt_id=receipt.pk, now=first)
    assert acknowledged.acknowledged_at == acknowledged.opened_at == first
    assert acknowledged.acknowledged_by == cru_officer
    again = acknowledge(cru_officer, receipt_id=receipt.pk, now=first + dt.timedelta(days=1))
    assert again.acknowledged_at == first
    assert Notification.objects.get(pk=receipt.notification_id).read_at == first


def test_sm4_acknowledge_someone_elses_receipt_is_404(
    sent: Circulation, cru_officer: User, school_dsl: User, social_worker: User
) -> None:
    officers = Receipt.objects.get(recipient=cru_officer)
    schools = Receipt.objects.get(recipient__isnull=True)
    for who, receipt in [(school_dsl, officers), (social_worker, officers),
                         (cru_officer, schools), (social_worker, schools)]:
        with pytest.raises(NotFound):
            acknowledge(who, receipt_id=receipt.pk)
    with pytest.raises(NotFound):
        acknowledge(cru_officer, receipt_id=officers.pk + 1000)
    assert not Receipt.objects.filter(acknowledged_at__isnull=False).exists()
    assert signed_in(school_dsl).post(
        f"/notifications/receipts/{officers.pk}/acknowledge"
    ).status_code == 404


def test_sm4_welsh_reader_gets_welsh_notification(
    social_worker: User, police: Agency, cru_officer: User
) -> None:
    cru_officer.language = "cy"
    cru_officer.save(update_fields=["language"])
    english = UserFactory(agency=police, language="en")
    with translation.override("en"):
        _circulate(social_worker, [(police, [cru_officer, english])])
    assert Notification.objects.get(recipient=cru_officer).subject == "Hysbysiadau"
    assert Notification.objects.get(recipient=english).subject == "Notifications"
    assert {r.notification.recipient_id for r in Receipt.objects.select_related(
        "notification")} == {cru_officer.pk, english.pk}  # type: ignore[union-attr]


def test_sm4_circulating_again_keeps_the_history(
    sent: Circulation, social_worker: User, police: Agency, cru_officer: User
) -> None:
    amended = _circulate(social_worker, [(police, [cru_officer])],
                         now=SENT + dt.timedelta(days=1))
    rows = circulation_for("strategy_meeting", "SM-12", what="minutes")
    assert [row.id for row in rows] == [amended.pk, sent.pk]
    assert circulation_for("strategy_meeting", "SM-12", what="decisions") == []
    latest = latest_receipts_by_agency("strategy_meeting", "SM-12", "minutes")
    # The police's latest is the amended one; the school's still the first.
    assert latest[police.pk].sent_at == SENT + dt.timedelta(days=1)
    field = AgencyReceiptSerializer(
        sorted(latest.values(), key=lambda row: row.agency_slug), many=True
    ).data
    assert [dict(row) for row in field] == [
        {"agency": "gaerwen-police", "sent_at": "2027-03-02T10:00:00Z", "opened_at": None,
         "acknowledged_at": None},
        {"agency": "ysgol-aberwen", "sent_at": "2027-03-01T10:00:00Z", "opened_at": None,
         "acknowledged_at": None},
    ]


def test_sm4_circulation_rows_group_receipts_per_agency(
    social_worker: User, police: Agency, cru_officer: User
) -> None:
    colleague = UserFactory(agency=police, first_name="Siân", last_name="Puw")
    _circulate(social_worker, [(police, [cru_officer, colleague])])
    acknowledged = SENT + dt.timedelta(hours=3)
    acknowledge(colleague, receipt_id=Receipt.objects.get(recipient=colleague).pk,
                now=acknowledged)
    [row] = circulation_for("strategy_meeting", "SM-12")
    [agency] = row.agencies
    assert (agency.agency_slug, agency.agency_name) == ("gaerwen-police", "Gaerwen Police")
    assert agency.opened_at == agency.acknowledged_at == acknowledged
    assert "Siân Puw" in agency.recipients and len(agency.recipients) == 2
    assert row.title == "Minutes of strategy meeting SM-12" and row.link == LINK


@pytest.mark.parametrize("agencies", [3, 30])
def test_sm4_reading_the_circulation_costs_the_same_however_many_recipients(
    social_worker: User, agencies: int, django_assert_num_queries: Any
) -> None:
    recipients = []
    for n in range(agencies):
        agency = AgencyFactory()
        recipients.append((agency, [UserFactory(agency=agency)] if n % 2 else []))
        if not n % 2:
            UserFactory(agency=agency)
    _circulate(social_worker, recipients)
    _circulate(social_worker, recipients, now=SENT + dt.timedelta(days=1))
    with django_assert_num_queries(2):
        rows = circulation_for("strategy_meeting", "SM-12")
    assert [len(row.agencies) for row in rows] == [agencies, agencies]
    with django_assert_num_queries(1):
        assert len(latest_receipts_by_agency("strategy_meeting", "SM-12", "minutes")) == agencies


def test_sm4_my_receipts_to_acknowledge_lists_mine_and_my_agencys(
    sent: Circulation, cru_officer: User, school_dsl: User, other_school_dsl: User
) -> None:
    assert [i.title for i in my_receipts_to_acknowledge(cru_officer)] == [sent.title]
    [school_item] = my_receipts_to_acknowledge(school_dsl)
    assert school_item.is_agency_level and school_item.link == LINK
    assert my_receipts_to_acknowledge(other_school_dsl) == []
    acknowledge(school_dsl, receipt_id=school_item.receipt_id)
    assert my_receipts_to_acknowledge(school_dsl) == []


def test_sm4_home_page_lists_what_to_acknowledge_and_the_button_acknowledges(
    sent: Circulation, cru_officer: User
) -> None:
    client = signed_in(cru_officer)
    page = client.get("/").content.decode()
    assert "Sent to you to acknowledge" in page and sent.title in page
    receipt = Receipt.objects.get(recipient=cru_officer)
    answer = client.post(f"/notifications/receipts/{receipt.pk}/acknowledge",
                         {"next": "/notifications"}, follow=True)
    assert answer.redirect_chain == [("/notifications", 302)]
    assert "You acknowledged receipt of" in answer.content.decode()
    receipt.refresh_from_db()
    assert receipt.acknowledged_by == cru_officer
    assert "Sent to you to acknowledge" not in client.get("/").content.decode()


def test_sm4_acknowledging_goes_back_only_to_a_local_page(
    sent: Circulation, cru_officer: User
) -> None:
    receipt = Receipt.objects.get(recipient=cru_officer)
    answer = signed_in(cru_officer).post(
        f"/notifications/receipts/{receipt.pk}/acknowledge", {"next": "https://evil.example/"}
    )
    assert answer.status_code == 302 and answer["Location"] == LINK


def test_sm4_acknowledging_needs_the_csrf_token(sent: Circulation, cru_officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cru_officer)
    receipt = Receipt.objects.get(recipient=cru_officer)
    assert client.post(f"/notifications/receipts/{receipt.pk}/acknowledge").status_code == 403
    receipt.refresh_from_db()
    assert receipt.acknowledged_at is None


def test_sm4_notifications_page_offers_acknowledge_until_acknowledged(
    sent: Circulation, cru_officer: User
) -> None:
    client = signed_in(cru_officer)
    receipt = Receipt.objects.get(recipient=cru_officer)
    action = f"/notifications/receipts/{receipt.pk}/acknowledge"
    assert action in client.get("/notifications").content.decode()
    acknowledge(cru_officer, receipt_id=receipt.pk)
    assert action not in client.get("/notifications").content.decode()


def test_sm4_circulation_table_says_what_is_not_yet_opened(
    sent: Circulation, cru_officer: User
) -> None:
    from django.template.loader import render_to_string

    acknowledge(cru_officer, receipt_id=Receipt.objects.get(recipient=cru_officer).pk)
    html = render_to_string("notifications/_circulation.html",
                            {"circulation": circulation_for("strategy_meeting", "SM-12")})
    assert "tarian-table-stacked" in html and 'data-label="Opened"' in html
    assert html.count("Not yet opened") == 1  # the school's; the police's was acknowledged
    with translation.override("cy"):
        welsh = render_to_string("notifications/_circulation.html",
                                 {"circulation": circulation_for("strategy_meeting", "SM-12")})
    assert "Heb ei agor eto" in welsh and "Anfonwyd at" in welsh


def test_sm4_api_acknowledge(sent: Circulation, cru_officer: User, school_dsl: User) -> None:
    receipt = Receipt.objects.get(recipient=cru_officer)
    officer = Client(headers={"Authorization": f"Bearer {issue_token(cru_officer, name='t')}"})
    dsl = Client(headers={"Authorization": f"Bearer {issue_token(school_dsl, name='t')}"})
    assert dsl.post(f"/api/v1/receipts/{receipt.pk}/acknowledge").status_code == 404
    before = timezone.now()
    answer = officer.post(f"/api/v1/receipts/{receipt.pk}/acknowledge")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"id", "acknowledged_at"} and body["id"] == receipt.pk
    assert dt.datetime.fromisoformat(body["acknowledged_at"]) >= before
    receipt.refresh_from_db()
    assert receipt.acknowledged_by == cru_officer


def test_sm4_api_acknowledge_is_documented() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/receipts/{id}/acknowledge"]["post"]
    assert operation["operationId"] == "receipts_acknowledge"
    assert {"200", "404"} <= set(operation["responses"])
