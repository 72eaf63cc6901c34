"""QA1: the safeguarding board's timeliness dashboard — the page (``/timeliness``) and its API
twin (``GET /api/v1/deadlines/counts``) — show the counts of clocks written through
``deadlines.services``, to board members and children's services team managers only, refuse
bad months and unknown timescales naming the field, and audit each read once."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, AgencyType, User
from tarian.audit.models import AccessEvent
from tarian.deadlines import services, timeliness
from tarian.procedures.packs import current_pack
from tests.clients import signed_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
KIND = "qa1_subject"
# Months long past (every open clock in them is overdue whenever the tests run) and one far
# ahead (every open clock in it is not yet due).
JAN = dt.datetime(2025, 1, 6, 10, 0, tzinfo=LONDON)
FEB = dt.datetime(2025, 2, 3, 10, 0, tzinfo=LONDON)
FUTURE = dt.datetime(2099, 3, 2, 10, 0, tzinfo=LONDON)
PAST_RANGE = "since=2025-01&until=2025-02"


def api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def _clocks() -> None:
    """January 2025, ``gateway_decision_high`` (4 hours): two met on time, one met late, one
    overdue, one stopped. February 2025: one ``feedback_to_referrer`` met late. March 2099:
    one ``gateway_decision_high`` not yet due."""
    with transaction.atomic():
        for subject in ("a", "b", "c", "d", "e"):
            services.start_clocks(timescale="gateway_decision_high", subject_kind=KIND,
                                  subject_id=subject, started_at=JAN)
        services.meet_clock(subject_kind=KIND, subject_id="a", met_at=JAN + dt.timedelta(hours=1))
        services.meet_clock(subject_kind=KIND, subject_id="b", met_at=JAN + dt.timedelta(hours=3))
        services.meet_clock(subject_kind=KIND, subject_id="c", met_at=JAN + dt.timedelta(days=2))
        services.stop_clock(subject_kind=KIND, subject_id="e", stopped_at=JAN,
                            reason="referral withdrawn")
        services.start_clocks(timescale="feedback_to_referrer", subject_kind=KIND,
                              subject_id="f", started_at=FEB)
        services.meet_clock(subject_kind=KIND, subject_id="f", met_at=FEB + dt.timedelta(days=90))
        services.start_clocks(timescale="gateway_decision_high", subject_kind=KIND,
                              subject_id="g", started_at=FUTURE)


def _name(code: str, language: str = "en") -> str:
    return current_pack().timescale(code).description(language)


def _row_cells(html: str, heading: str) -> list[str]:
    """The cells of the table row headed ``heading`` (first match), as text."""
    row = re.search(
        r"<th scope=\"row\" class=\"govuk-table__header\">" + re.escape(heading)
        + r"</th>(.*?)</tr>", html, re.S,
    )
    assert row, f"no row {heading!r}"
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


# --- The figures ----------------------------------------------------------------------------

def test_qa1_selector_counts_each_month_of_the_period_in_order(board_member: User) -> None:
    _clocks()
    period = timeliness.parse_period(since="2025-01", until="2025-03", timescale="",
                                     now=FEB)
    figures = timeliness.timeliness(board_member, period=period, now=JAN + dt.timedelta(days=40))
    tables = {table.code: table for table in figures.tables}
    assert list(tables) == [code for code in current_pack().timescales if code in tables]
    high = tables["gateway_decision_high"]
    assert [row.month for row in high.months] == [
        dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)
    ]
    jan = high.months[0]
    assert (jan.met_on_time, jan.met_late, jan.overdue, jan.pending, jan.stopped) == (2, 1, 1, 0, 1)
    assert jan.due == 4 and jan.percent_on_time == 50
    assert high.months[1].percent_on_time is None
    feedback = tables["feedback_to_referrer"].months[1]
    assert (feedback.met_late, feedback.due, feedback.percent_on_time) == (1, 1, 0)


def test_qa1_page_shows_the_counts_written_through_the_services(board_member: User) -> None:
    _clocks()
    response = signed_in(board_member).get(f"/timeliness?{PAST_RANGE}")
    assert response.status_code == 200
    html = response.content.decode()
    assert _name("gateway_decision_high") in html
    assert _name("feedback_to_referrer") in html
    high = html.index('id="timescale-gateway_decision_high"')
    feedback = html.index('id="timescale-feedback_to_referrer"')
    assert high < feedback  # the pack's order
    # Met on time, met late, overdue, not yet due, stopped, share on time of those due.
    assert _row_cells(html[high:feedback], "January 2025") == ["2", "1", "1", "0", "1", "50%"]
    assert _row_cells(html[high:feedback], "February 2025")[:5] == ["0"] * 5
    assert _row_cells(html[feedback:], "February 2025") == ["0", "1", "0", "0", "0", "0%"]
    assert 'role="img"' in html and "<svg" in html  # the chart, with its table


def test_qa1_page_counts_clocks_not_yet_due(team_manager: User) -> None:
    _clocks()
    response = signed_in(team_manager).get("/timeliness?since=2099-03&until=2099-03")
    assert response.status_code == 200
    assert _row_cells(response.content.decode(), "March 2099") == [
        "0", "0", "0", "1", "0", "\u2013none due"
    ]
    # A month asked for outside the lists' usual range is offered, and chosen.
    assert '<option value="2099-03" selected>March 2099</option>' in response.content.decode()


def test_qa1_page_for_one_timescale_in_welsh(board_member: User) -> None:
    _clocks()
    response = signed_in(board_member, "cy").get(
        f"/timeliness?{PAST_RANGE}&timescale=feedback_to_referrer"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _name("feedback_to_referrer", "cy") in html
    assert 'id="timescale-feedback_to_referrer"' in html
    assert 'id="timescale-gateway_decision_high"' not in html
    assert _row_cells(html, "Chwefror 2025") == ["0", "1", "0", "0", "0", "0%"]
    assert "Ionawr 2025" in html


def test_qa1_page_defaults_to_the_last_twelve_months(board_member: User) -> None:
    response = signed_in(board_member).get("/timeliness")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No statutory clocks fell due in these months." in html
    selected = re.findall(r'<option value="(\d{4}-\d{2})" selected>', html)
    assert len(selected) == 2
    since, until = (dt.date(int(v[:4]), int(v[5:]), 1) for v in selected)
    assert timeliness.add_months(since, 11) == until


def test_qa1_api_answers_the_same_counts(board_member: User) -> None:
    _clocks()
    response = api(board_member).get(f"/api/v1/deadlines/counts?{PAST_RANGE}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["since"], body["until"], body["timescale"]) == ("2025-01", "2025-02", "")
    tables = {table["timescale"]: table for table in body["timescales"]}
    assert set(tables) == {"gateway_decision_high", "feedback_to_referrer"}
    jan = tables["gateway_decision_high"]["months"][0]
    assert jan == {
        "month": "2025-01", "met_on_time": 2, "met_late": 1, "overdue": 1, "pending": 0,
        "stopped": 1, "due": 4, "share_on_time": 0.5,
    }
    assert tables["gateway_decision_high"]["months"][1]["share_on_time"] is None
    assert tables["gateway_decision_high"]["name"] == _name("gateway_decision_high")
    assert tables["feedback_to_referrer"]["totals"]["met_late"] == 1
    one = api(board_member).get(
        f"/api/v1/deadlines/counts?{PAST_RANGE}&timescale=gateway_decision_high"
    ).json()
    assert [t["timescale"] for t in one["timescales"]] == ["gateway_decision_high"]


def test_qa1_each_read_is_audited_once_about_no_person(board_member: User) -> None:
    signed_in(board_member).get(f"/timeliness?{PAST_RANGE}")
    api(board_member).get(f"/api/v1/deadlines/counts?{PAST_RANGE}")
    events = list(AccessEvent.objects.filter(record_kind=timeliness.RECORD_KIND))
    assert len(events) == 2
    assert {e.channel for e in events} == {"web", "api"}
    assert all(e.person_id is None and e.username == "helen" for e in events)
    assert events[0].detail == {"since": "2025-01", "until": "2025-02", "timescale": ""}


# --- Who may read the counts ----------------------------------------------------------------

@pytest.mark.parametrize("who", ["social_worker", "school_dsl", "auditor", "cru_officer"])
def test_qa1_others_are_refused_the_page_and_the_api(
    who: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(who)
    _clocks()
    page = signed_in(user).get(f"/timeliness?{PAST_RANGE}")
    assert page.status_code == 404
    assert _name("gateway_decision_high") not in page.content.decode()
    answer = api(user).get(f"/api/v1/deadlines/counts?{PAST_RANGE}")
    assert answer.status_code == 403
    assert answer.json() == {"errors": {"__all__": ["You do not have permission to do this."]}}
    # Refused before the parameters are looked at: a bad month tells them nothing more.
    assert signed_in(user).get("/timeliness?since=2025-13").status_code == 404
    assert api(user).get("/api/v1/deadlines/counts?since=2025-13").status_code == 403
    assert not AccessEvent.objects.filter(record_kind=timeliness.RECORD_KIND).exists()


def test_qa1_a_team_manager_outside_childrens_services_is_refused(police: Agency) -> None:
    manager = UserFactory(agency=police, roles=["team_manager"])
    assert not timeliness.may_read_counts(manager)
    assert signed_in(manager).get("/timeliness").status_code == 404


def test_qa1_a_board_member_of_an_inactive_agency_is_refused() -> None:
    agency = AgencyFactory(type=AgencyType.BOARD, is_active=False)
    member = UserFactory(agency=agency, roles=["board_member"])
    assert not timeliness.may_read_counts(member)


def test_qa1_board_users_see_the_link_others_do_not(
    board_member: User, team_manager: User, social_worker: User
) -> None:
    for user in (board_member, team_manager):
        home = signed_in(user).get("/").content.decode()
        assert 'href="/timeliness"' in home
    assert 'href="/timeliness"' not in signed_in(social_worker).get("/").content.decode()


# --- Bad parameters -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=2025-13", "since"),
        ("until=2025-00", "until"),
        ("since=January", "since"),
        ("since=1999-12&until=2000-02", "since"),
        ("since=2025-06&until=2025-01", "since"),
        ("since=2020-01&until=2025-01", "since"),
        ("timescale=no_such_timescale", "timescale"),
    ],
)
def test_qa1_bad_parameters_are_named_on_the_page_and_in_the_api(
    board_member: User, query: str, field: str
) -> None:
    page = signed_in(board_member).get(f"/timeliness?{query}")
    assert page.status_code == 400
    html = page.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="#id_{field}"' in html
    assert f'id="id_{field}-error"' in html
    answer = api(board_member).get(f"/api/v1/deadlines/counts?{query}")
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == [field]
    assert not AccessEvent.objects.filter(record_kind=timeliness.RECORD_KIND).exists()


def test_qa1_api_names_the_timescales_it_accepts(board_member: User) -> None:
    answer = api(board_member).get("/api/v1/deadlines/counts?timescale=nope")
    (message,) = answer.json()["errors"]["timescale"]
    assert "gateway_decision_high" in message and message.startswith("Choose one of:")


def test_qa1_welsh_error_summary(board_member: User) -> None:
    html = signed_in(board_member, "cy").get("/timeliness?since=2025-13").content.decode()
    assert "Mae problem" in html
    assert "Enter a month" not in html


# --- Cost -----------------------------------------------------------------------------------

def test_qa1_page_and_api_cost_does_not_grow_with_the_clocks(
    board_member: User, django_assert_max_num_queries: object,
) -> None:
    """Pinned: the page and the endpoint each read the counts in one statement (and audit in
    one), however many clocks and timescales there are."""
    _clocks()
    client, token_client = signed_in(board_member), api(board_member)
    client.get(f"/timeliness?{PAST_RANGE}")
    token_client.get(f"/api/v1/deadlines/counts?{PAST_RANGE}")
    with django_assert_max_num_queries(PAGE_QUERIES):  # type: ignore[operator]
        assert client.get(f"/timeliness?{PAST_RANGE}").status_code == 200
    with django_assert_max_num_queries(API_QUERIES):  # type: ignore[operator]
        assert token_client.get(f"/api/v1/deadlines/counts?{PAST_RANGE}").status_code == 200
    with transaction.atomic():
        for n in range(30):
            services.start_clocks(timescale="feedback_to_referrer", subject_kind=KIND,
                                  subject_id=f"more{n}", started_at=JAN)
    with django_assert_max_num_queries(PAGE_QUERIES):  # type: ignore[operator]
        assert client.get(f"/timeliness?{PAST_RANGE}").status_code == 200
    with django_assert_max_num_queries(API_QUERIES):  # type: ignore[operator]
        assert token_client.get(f"/api/v1/deadlines/counts?{PAST_RANGE}").status_code == 200


PAGE_QUERIES = 12
API_QUERIES = 6
