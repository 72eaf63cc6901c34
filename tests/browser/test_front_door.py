"""Journey (FD1-FD5, #20): a police officer refers two siblings with the child's voice and is
told it went to their supervisor; the supervisor returns it with a comment, the officer changes
the concern as asked, answers and sends it again (the supervisor sees what changed), the
supervisor approves; the Gateway worker sees the earlier referral and decides "strategy
discussion" with a rationale; a manager returns the decision with a reason, the worker decides
again, the manager signs off with a comment for the referrer; the officer sees the feedback.
Every page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tarian.agencies.models import User
from tarian.people.models import Person
from tarian.referrals import services
from tests.browser.conftest import check_accessibility
from tests.browser.test_find_a_child import sign_in
from tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RATIONALE = ("Disclosure of physical harm by a parent with bruising seen by the officer: "
             "reasonable cause to suspect significant harm, strategy discussion today.")

SUPERVISOR_COMMENT = ("Say whether Dafydd was seen and spoken to alone, and what he said, "
                      "before this goes to the Gateway.")
OFFICER_ANSWER = ("Dafydd was seen alone in the kitchen; he said his father shouts and "
                  "pushed his mother. Added to the concern.")
ADDED = "Dafydd, seen alone, said his father shouts and pushed his mother."
MANAGER_REASON = ("Check with the police whether the father has previous domestic abuse "
                  "incidents before deciding; the answer changes the urgency.")
MANAGER_COMMENT = "Agreed. Please keep the school informed of anything Gwenllian says."


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_police_referral_to_feedback(
    page: Any, live_server: Any, cru_officer: User, gateway_worker: User, team_manager: User,
    child: Person, school_dsl: User,
) -> None:
    supervisor = UserFactory(username="sara", agency=cru_officer.agency,
                             roles=["cru_supervisor"])
    UserFactory(username="rhian", agency=team_manager.agency, roles=["team_manager"])
    sibling = PersonFactory(given_name="Dafydd", family_name="Prydderch")
    services.submit_referral(school_dsl, data={
        "children": [child.ref], "concern": "Gwenllian often arrives hungry and tired at school.",
        "voice_of_child": "'There's no food at home.'", "voice_method": "own_words",
        "parental_awareness": "aware", "consent": "given", "priority": "standard",
    })
    base = live_server.url

    sign_in(page, base, "mark")
    # #20 item 8: the children are chosen, never typed as Tarian IDs: begun from the child's
    # record, with the sibling added (as "Add … to this referral" does).
    page.goto(f"{base}/referrals/new?about={child.ref}&child={sibling.ref}")
    expect(page.locator("#chosen-children")).to_contain_text(child.ref)
    expect(page.locator("#chosen-children")).to_contain_text(sibling.ref)
    check_accessibility(page)
    page.get_by_label("What is the concern?").fill(
        "Called to a domestic incident; Gwenllian had bruising on her arm and said her father "
        "grabbed her. Dafydd was in the house."
    )
    page.get_by_label("What did the child say or show?").fill("'Dad grabbed me, it hurt.'")
    page.get_by_label("The child's own words").check()
    page.get_by_label("Not told: telling them could put the child at risk").check()
    page.get_by_label("Not sought: the child may be at risk of significant harm").check()
    page.locator("input[name=priority][value=high]").check()
    # #20 item 9: the police information section, asked of a police officer only.
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Choose the type of incident").first).to_be_visible()
    page.get_by_label("Crime or incident reference").fill("NWP/24/118733")
    page.get_by_label("Domestic abuse", exact=True).check()
    page.locator("input[name=police_risk_level][value=high]").check()
    page.locator("input[name=children_present][value=yes]").check()
    page.locator("input[name=children_seen][value=yes]").check()
    page.locator("input[name=protection_notice_considered][value=yes]").check()
    page.get_by_label("What came of it, or why was a notice not considered?").fill(
        "DVPN authorised by the duty superintendent and served on the father."
    )
    page.get_by_role("button", name="Send report").click()
    # #20: the officer is told it went to their supervisor, not that it was sent.
    page.get_by_text("has been sent to your supervisor").wait_for()
    ref = page.url.rstrip("/").split("/")[-1]
    expect(page.get_by_text("Waiting for supervisor review").first).to_be_visible()
    expect(page.locator("#sent-to-supervisor")).to_be_visible()
    check_accessibility(page)
    sign_out(page)

    sign_in(page, base, supervisor.username)
    page.goto(f"{base}/referrals")
    check_accessibility(page)
    page.get_by_role("link", name=ref).first.click()
    check_accessibility(page)
    page.get_by_label("Comment for the officer").fill(SUPERVISOR_COMMENT)
    page.get_by_role("button", name="Return to the officer").click()
    page.get_by_text("has been returned to the officer").wait_for()
    sign_out(page)

    sign_in(page, base, "mark")
    page.goto(f"{base}/referrals/{ref}")
    expect(page.locator("#returned-to-officer")).to_be_visible()
    expect(page.locator("#review-history")).to_contain_text(SUPERVISOR_COMMENT)
    check_accessibility(page)
    # #20 item 2: the officer changes what the comment asks, on a page with it filled in.
    page.get_by_role("button", name="Change and send it again").click()
    expect(page.locator("#supervisor-comment")).to_contain_text(SUPERVISOR_COMMENT)
    check_accessibility(page)
    concern = page.get_by_label("What is the concern?")
    concern.fill(concern.input_value() + " " + ADDED)
    page.get_by_label("Your answer to your supervisor's comment").fill(OFFICER_ANSWER)
    page.get_by_role("button", name="Send to your supervisor").click()
    page.get_by_text("has been sent to your supervisor").wait_for()
    sign_out(page)

    sign_in(page, base, supervisor.username)
    page.goto(f"{base}/referrals/{ref}")
    page.get_by_text("What the officer changed (1 answer)").click()
    expect(page.locator(".tarian-changes")).to_contain_text(ADDED)
    check_accessibility(page)
    page.get_by_role("button", name="Approve and send to the Gateway").click()
    page.get_by_text("sent to the Gateway").wait_for()
    expect(page.locator("#supervisor-approval")).to_contain_text(str(supervisor))
    sign_out(page)

    sign_in(page, base, "nia")
    page.goto(f"{base}/referrals")
    # #20: the high-priority referral comes first, its time left in words (4 hours, from the
    # supervisor's approval), not a "Pending" tag.
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text(ref)
    expect(first_row).to_contain_text("Due in 3 h")
    expect(first_row).to_contain_text("Domestic abuse")
    check_accessibility(page)
    page.get_by_role("link", name=ref).first.click()
    expect(page.get_by_role("heading", name="Earlier reports")).to_be_visible()
    expect(page.locator("#police-crime_reference")).to_contain_text("NWP/24/118733")
    expect(page.locator("#police-incident_type")).to_contain_text("Domestic abuse")
    check_accessibility(page)
    page.get_by_label("Strategy discussion", exact=False).check()
    page.get_by_label("Why? (rationale)").fill("NFA")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("only names the outcome").first).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Strategy discussion", exact=False).check()
    page.get_by_label("Why? (rationale)").fill(RATIONALE)
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("It now needs sign-off").wait_for()
    sign_out(page)

    sign_in(page, base, "rhian")
    page.goto(f"{base}/referrals/{ref}")
    check_accessibility(page)
    page.locator("#id_return-reason").fill("x x x x x x")
    page.get_by_role("button", name="Return the decision").click()
    expect(page.get_by_text("the same few words are repeated").first).to_be_visible()
    check_accessibility(page)
    page.locator("#id_return-reason").fill(MANAGER_REASON)
    page.get_by_role("button", name="Return the decision").click()
    page.get_by_text("returned to the Gateway worker").wait_for()
    sign_out(page)

    sign_in(page, base, "nia")
    page.goto(f"{base}/referrals/{ref}")
    expect(page.locator("#review-history")).to_contain_text(MANAGER_REASON)
    check_accessibility(page)
    page.get_by_label("Strategy discussion", exact=False).check()
    page.get_by_label("Why? (rationale)").fill(RATIONALE + " Police checks done.")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("It now needs sign-off").wait_for()
    sign_out(page)

    sign_in(page, base, "rhian")
    page.goto(f"{base}/referrals/{ref}")
    page.locator("#id_comment").fill(MANAGER_COMMENT)
    page.locator("#id_share_comment").check()
    page.get_by_role("button", name="Sign off and tell the referrer").click()
    page.get_by_text("The referrer has been told").wait_for()
    expect(page.locator("#manager-comment")).to_contain_text(MANAGER_COMMENT)
    sign_out(page)

    sign_in(page, base, "mark")
    page.goto(f"{base}/notifications")
    expect(page.get_by_role("heading", name=f"Outcome of your report {ref}")).to_be_visible()
    expect(page.get_by_text("What happens next:").first).to_be_visible()
    expect(page.get_by_text(MANAGER_COMMENT).first).to_be_visible()
    check_accessibility(page)
