"""Journey (#20 "Done when", VC2, FD3-FD5, IS2): the front door on a 390 px phone in Welsh,
one role after another. A school DSL's referral is decided by the Gateway worker, signed off by
the team manager, and its outcome read by the DSL; a social worker reads the child's record and
chronology; a police officer whose referral came back changes it and sends it again. Every page
is in Welsh, fits the screen (no sideways scrolling) and passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tarian.agencies.models import User
from tarian.people.models import Person
from tarian.referrals import reviews, services
from tarian.referrals.models import Referral, ReferralStatus
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in
from tests.browser.test_welsh_phone_tablet import PHONE, fits
from tests.factories import InvolvementFactory, UserFactory
from tests.referrals.test_police_facts import POLICE_FACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RATIONALE = ("Mae'r teulu'n gofyn am help gyda bwyd a threfn y bore; dim arwydd o niwed "
             "sylweddol, felly cyngor a gwybodaeth gan y tîm cymorth cynnar sydd orau.")
ANSWER = ("Gwelwyd y ddau blentyn ar eu pen eu hunain yn y gegin; ychwanegwyd yr hyn a "
          "ddywedon nhw at y pryder.")
COMMENT = ("Ychwanegwch beth ddywedodd y plant pan gyrhaeddodd swyddogion, ac a gawsant eu "
           "gweld ar eu pen eu hunain, cyn iddo fynd i'r Porth.")


def in_welsh(page: Any, base: str, username: str) -> None:
    """Sign in; choose Cymraeg unless Tarian remembers the user chose it before."""
    sign_in(page, base, username)
    if page.locator("html").get_attribute("lang") != "cy":
        page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")


def look(page: Any, path: str, base: str) -> None:
    page.goto(f"{base}{path}")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    fits(page)
    check_accessibility(page)


def sign_out(page: Any) -> None:
    page.context.clear_cookies()


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_the_front_door_on_a_phone_in_welsh_role_by_role(
    phone: Any, live_server: Any, child: Person, school_dsl: User, gateway_worker: User,
    team_manager: User, social_worker: User, cru_officer: User, police: Any,
) -> None:
    referral_data: dict[str, Any] = {
        "children": [child.ref],
        "concern": "Gwenllian often arrives hungry and tired at school and says there is no "
                   "food at home in the mornings.",
        "voice_of_child": "'Does dim bwyd gartref.'", "voice_method": "own_words",
        "voice_language": "cy", "parental_awareness": "aware", "consent": "given",
        "priority": "standard",
    }
    page, base = phone, live_server.url
    InvolvementFactory(person=child, agency=school_dsl.agency, role="school")
    referral = services.submit_referral(school_dsl, data={**referral_data,
                                                          "priority": "standard"})

    in_welsh(page, base, school_dsl.username)
    look(page, "/", base)
    look(page, "/referrals/new", base)
    look(page, f"/referrals/{referral.ref}", base)
    sign_out(page)

    in_welsh(page, base, gateway_worker.username)
    look(page, "/referrals", base)
    look(page, f"/referrals/{referral.ref}", base)
    decide = page.locator("form[action$='/decision']")
    decide.locator("input[name='outcome'][value='information_and_advice']").check()
    decide.locator("textarea[name='rationale']").fill(RATIONALE)
    decide.locator("button[type='submit']").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    fits(page)
    sign_out(page)

    in_welsh(page, base, team_manager.username)
    look(page, f"/referrals/{referral.ref}", base)
    signed = page.locator("form[action$='/sign-off']:has(input[value='sign_off'])")
    signed.locator("button[type='submit']").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    sign_out(page)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECIDED

    in_welsh(page, base, school_dsl.username)
    look(page, f"/referrals/{referral.ref}", base)
    expect(page.locator("main")).to_contain_text("Gwybodaeth, cyngor a chymorth")
    sign_out(page)

    in_welsh(page, base, social_worker.username)
    look(page, f"/people/{child.ref}", base)
    look(page, f"/people/{child.ref}/chronology", base)
    look(page, f"/people/{child.ref}/history", base)
    sign_out(page)

    supervisor = UserFactory(username="sara", agency=police, roles=["cru_supervisor"])
    sent = services.submit_referral(cru_officer, data={**referral_data, **POLICE_FACTS})
    reviews.return_referral(supervisor, ref=sent.ref, comment=COMMENT)
    in_welsh(page, base, cru_officer.username)
    look(page, f"/referrals/{sent.ref}", base)
    look(page, f"/referrals/{sent.ref}/resubmit", base)
    page.locator("textarea[name='answer']").fill(ANSWER)
    page.locator("form button[type='submit']").last.click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    fits(page)
    assert Referral.objects.get(pk=sent.pk).status == ReferralStatus.AWAITING_SUPERVISOR
