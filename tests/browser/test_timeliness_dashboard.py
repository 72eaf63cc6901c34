"""Journey (QA1): a board member signs in with her second factor on a phone, opens the
timeliness dashboard from the home page, reads a timescale's figures and its chart, then reads
it in Welsh. Every page passes axe-core (no serious or critical violation) and fits the
screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tarian.agencies.models import User
from tarian.deadlines import services
from tarian.procedures.packs import current_pack
from tests.browser.conftest import check_accessibility
from tests.browser.test_front_door_phone_welsh import phone
from tests.browser.test_welsh_phone_tablet import fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["phone"]


def _clocks() -> None:
    started = timezone.now() - dt.timedelta(days=40)
    with transaction.atomic():
        for subject in ("a", "b", "c"):
            services.start_clocks(timescale="gateway_decision_high", subject_kind="qa1",
                                  subject_id=subject, started_at=started)
        services.meet_clock(subject_kind="qa1", subject_id="a",
                            met_at=started + dt.timedelta(hours=1))
        services.meet_clock(subject_kind="qa1", subject_id="b",
                            met_at=started + dt.timedelta(days=1))


def test_board_member_reads_the_dashboard_on_a_phone_in_english_and_welsh(
    phone: Any, live_server: Any, board_member: User,
) -> None:
    page, base = phone, live_server.url
    _clocks()
    device = TOTPDevice.objects.create(user=board_member, name="phone", confirmed=True)
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(board_member.username)
    page.get_by_label("Password").fill("Tarian-test-password-1")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter your code").wait_for()
    page.get_by_label("Code from your authenticator app").fill(
        f"{totp(device.bin_key):06d}"
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/")

    page.get_by_role("link", name="See how many statutory timescales were met on time").click()
    name = current_pack().timescale("gateway_decision_high").description("en")
    expect(page.locator("h1")).to_have_text("Timeliness of statutory timescales")
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    chart = page.locator("#timescale-gateway_decision_high ~ figure svg[role='img']")
    expect(chart).to_have_count(1)
    fits(page)
    check_accessibility(page)

    # A bad month typed into the address: the error summary names the field.
    page.goto(f"{base}/timeliness?since=2026-13")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a month")
    fits(page)
    check_accessibility(page)

    page.goto(f"{base}/timeliness")
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text("Prydlondeb amserlenni statudol")
    welsh = current_pack().timescale("gateway_decision_high").description("cy")
    expect(page.get_by_role("heading", name=welsh)).to_be_visible()
    fits(page)
    check_accessibility(page)
