"""#20 item 11, VC2: what the front door writes for someone else to read is in that reader's
language: the DSL told of a referral and the police supervisor asked to review one; and the
Gateway queue a Welsh reader opens says everything in Welsh: waiting times with their mutations,
agency names, the sortable table's hint."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from tarian.agencies.models import Agency, User
from tarian.notifications.models import Notification
from tarian.referrals import services
from tests.clients import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_issue20_notifications_in_recipients_language_when_a_referral_is_made(
    school: Agency, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    school_dsl.language = "cy"
    school_dsl.save()
    english_dsl = UserFactory(username="eng", agency=school, roles=["dsl"], language="en")
    teacher = UserFactory(username="teacher", agency=school, roles=["referrer"], language="en")
    with translation.override("en"):
        referral = services.submit_referral(teacher, data=referral_data)
    welsh = Notification.objects.get(recipient=school_dsl)
    assert welsh.subject == f"Gwnaeth {teacher} adroddiad {referral.ref}"
    assert welsh.body.startswith("Er gwybodaeth i chi fel person diogelu dynodedig")
    english = Notification.objects.get(recipient=english_dsl)
    assert english.subject == f"{teacher} made report {referral.ref}"


def test_issue20_police_supervisor_is_asked_in_their_language(
    cru_officer: User, cru_supervisor: User, referral_data: dict[str, Any], police: Agency
) -> None:
    cru_supervisor.language = "cy"
    cru_supervisor.save()
    with translation.override("en"):
        referral = services.submit_referral(cru_officer, data=referral_data)
    asked = Notification.objects.get(recipient=cru_supervisor)
    assert asked.subject == f"Mae adroddiad {referral.ref} yn aros i chi ei adolygu"
    assert "heddlu" in asked.body and "police" not in asked.body


def test_issue20_the_gateway_queue_in_welsh_says_everything_in_welsh(
    gateway_worker: User, school: Agency, school_dsl: User, referral_data: dict[str, Any]
) -> None:
    school.name_cy = "Ysgol Gynradd Aberwen"
    school.save()
    services.submit_referral(school_dsl, data=referral_data,
                             now=timezone.now() - dt.timedelta(days=2, hours=3, minutes=5))
    page = signed_in(gateway_worker, "cy").get("/referrals").content.decode()
    assert "Ysgol Gynradd Aberwen" in page and school.name not in page
    assert "2 ddiwrnod, 3 awr" in page  # waiting: "dau ddiwrnod", the numeral mutating
    assert "Yn hwyr o 1 diwrnod, 23 awr" in page  # high priority: 4 hours
    assert 'data-status-message="Trefnu yn ôl %heading% (%direction%)"' in page
    assert 'data-ascending-text="esgynnol"' in page and 'data-descending-text="disgynnol"' in page
    assert "(gallwch drefnu&#x27;r tabl wrth y colofnau sydd â botwm yn eu pennawd)." in page
    assert 'data-label="Amser aros"' in page  # each cell named when stacked on a phone
    english = signed_in(gateway_worker, "en").get("/referrals").content.decode()
    assert "2 days 3 h" in english and "(column headers with buttons are sortable)." in english
