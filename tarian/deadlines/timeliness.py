"""The safeguarding board's timeliness dashboard (QA1, issue 21): for a range of months and
optionally one timescale, how many statutory clocks due in each month were met on time, met
late, are overdue, are still open and not yet due, or were stopped — read from
``selectors.counts_by_month`` (one GROUP BY over an index) — with the share met on time of
those that fell due. The page and the API both call :func:`timeliness`; the rules (who may read
the counts, which months and timescales may be asked for) live here, not in the faces.

Who may read them (:func:`may_read_counts`): board members, whatever agency they sit for, and
team managers in children's services, who answer to the board for the Gateway's and the
meetings' timescales. The sharing rules are about person-linked records; these are counts with
no child identifiable, so no sharing rule applies and the rule is a role rule, as the meetings'
managing roles are. Anyone else is refused (``Forbidden``: a 404 page, a 403 from the API).

Each read is audited as one access event about no person (``record_kind`` ``deadline_counts``,
the months and timescale asked for in ``detail``), as the project audits other reads of records
that are about no one (a challenge, the threshold guide): who looked at the board's figures,
and when, is on the record; there is no child to list it under.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import AgencyType, RoleCode, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_access
from tarian.deadlines.selectors import MonthCount, counts_by_month
from tarian.errors import Forbidden, Refused
from tarian.procedures.clocks import LONDON
from tarian.procedures.packs import current_pack

RECORD_KIND = "deadline_counts"
# The default range: the last twelve months, this one included.
DEFAULT_MONTHS = 12
# The widest range one read may ask for (three years), so that a page stays readable.
MAX_MONTHS = 36
# No clock is older than Tarian; a month before this is a typing mistake.
FIRST_MONTH = dt.date(2000, 1, 1)
LAST_MONTH = dt.date(2999, 12, 1)
_MONTH = re.compile(r"\A(\d{4})-(\d{2})\Z")


def may_read_counts(user: User | None) -> bool:
    """Board members (any agency), and team managers in children's services; the user's
    agency must be active (default deny, as ``agencies.access.scope_for``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    agency = user.agency
    if agency is None or not agency.is_active:
        return False
    if user.has_role(RoleCode.BOARD_MEMBER):
        return True
    return user.has_role(RoleCode.TEAM_MANAGER) and agency.type == AgencyType.CHILDRENS_SERVICES


def require_reader(user: User) -> None:
    """``Forbidden`` unless the user may read the counts: checked before anything asked for is
    looked at, so that someone refused learns nothing from the answer to a bad month."""
    if not may_read_counts(user):
        raise Forbidden(f"{RECORD_KIND}:read")


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_code(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def this_month(now: dt.datetime) -> dt.date:
    local = now.astimezone(LONDON)
    return dt.date(local.year, local.month, 1)


def timescale_choices(language: str | None = None) -> list[tuple[str, str]]:
    """The pack's timescales as ``(code, name)`` in the reader's language, in the pack's
    order."""
    lang = language or get_language() or "en"
    return [(code, scale.description(lang)) for code, scale in current_pack().timescales.items()]


@dataclass(frozen=True)
class Period:
    """What was asked for: months ``since`` to ``until``, both included, first days."""

    since: dt.date
    until: dt.date
    timescale: str  # "" for every timescale

    @property
    def months(self) -> list[dt.date]:
        months, month = [], self.since
        while month <= self.until:
            months.append(month)
            month = add_months(month, 1)
        return months


def _parse_month(value: str, field: str, errors: dict[str, list[str]]) -> dt.date | None:
    match = _MONTH.match(value)
    month = None
    if match:
        year, number = int(match.group(1)), int(match.group(2))
        if 1 <= number <= 12:
            month = dt.date(year, number, 1)
    if month is None:
        errors.setdefault(field, []).append(
            _("Enter a month as a year and month, for example %(example)s")
            % {"example": "2026-04"}
        )
        return None
    if not FIRST_MONTH <= month <= LAST_MONTH:
        errors.setdefault(field, []).append(
            _("Enter a month from %(first)s to %(last)s")
            % {"first": month_code(FIRST_MONTH), "last": month_code(LAST_MONTH)}
        )
        return None
    return month


def parse_period(
    *, since: str | None, until: str | None, timescale: str | None, now: dt.datetime
) -> Period:
    """The months and timescale asked for (``YYYY-MM``, both months included; a timescale
    code of the current pack, or none for all). Missing months default to the last
    ``DEFAULT_MONTHS`` months up to this one. Every bad value is refused at once, each named by
    its field (``since``, ``until``, ``timescale``)."""
    errors: dict[str, list[str]] = {}
    until_value = (until or "").strip()
    since_value = (since or "").strip()
    end = _parse_month(until_value, "until", errors) if until_value else this_month(now)
    start = (
        _parse_month(since_value, "since", errors) if since_value
        else add_months(end, 1 - DEFAULT_MONTHS) if end is not None else None
    )
    if start is not None and end is not None and "since" not in errors:
        if start > end:
            errors.setdefault("since", []).append(
                _("The first month must be the same as or before the last month")
            )
        elif len(Period(start, end, "").months) > MAX_MONTHS:
            errors.setdefault("since", []).append(
                _("Choose at most %(count)s months") % {"count": MAX_MONTHS}
            )
    code = (timescale or "").strip()
    if code and code not in current_pack().timescales:
        errors["timescale"] = [
            _("Choose a timescale from the list, or all timescales")
        ]
    if errors:
        raise Refused(errors)
    assert start is not None and end is not None
    return Period(since=start, until=end, timescale=code)


@dataclass(frozen=True)
class MonthRow:
    """One month of one timescale, as the dashboard shows it."""

    month: dt.date
    met_on_time: int = 0
    met_late: int = 0
    overdue: int = 0
    pending: int = 0
    stopped: int = 0

    @property
    def due(self) -> int:
        """The clocks that were met, or are open past their due time: those the share on time
        is a share of (a clock stopped, or open and not yet due, has not been tested)."""
        return self.met_on_time + self.met_late + self.overdue

    @property
    def share_on_time(self) -> float | None:
        """Met on time, of those due (0 to 1); None when none fell due."""
        return self.met_on_time / self.due if self.due else None

    @property
    def percent_on_time(self) -> int | None:
        share = self.share_on_time
        # Rounded down, so that 99.6 % is never shown as a perfect 100 %.
        return None if share is None else int(share * 100)

    @property
    def total(self) -> int:
        return self.due + self.pending + self.stopped


@dataclass(frozen=True)
class TimescaleTable:
    """One timescale's months, each month of the period in order, with its totals."""

    code: str
    name: str
    target_share: float | None
    months: tuple[MonthRow, ...]

    @property
    def totals(self) -> MonthRow:
        return MonthRow(
            month=self.months[0].month if self.months else dt.date(2000, 1, 1),
            met_on_time=sum(m.met_on_time for m in self.months),
            met_late=sum(m.met_late for m in self.months),
            overdue=sum(m.overdue for m in self.months),
            pending=sum(m.pending for m in self.months),
            stopped=sum(m.stopped for m in self.months),
        )

    @property
    def target_percent(self) -> int | None:
        return None if self.target_share is None else round(self.target_share * 100)


@dataclass(frozen=True)
class Timeliness:
    period: Period
    tables: tuple[TimescaleTable, ...]


def _tables(period: Period, counts: list[MonthCount], language: str) -> tuple[
    TimescaleTable, ...
]:
    pack = current_pack()
    by_scale: dict[str, dict[dt.date, MonthCount]] = {}
    for count in counts:
        by_scale.setdefault(count.timescale, {})[count.month] = count
    # The pack's order; a timescale a later pack dropped comes last, by its code.
    codes = [code for code in pack.timescales if code in by_scale]
    codes += sorted(code for code in by_scale if code not in pack.timescales)
    if period.timescale and period.timescale not in codes:
        codes = [period.timescale]
    tables = []
    for code in codes:
        scale = pack.timescales.get(code)
        found = by_scale.get(code, {})
        months = tuple(
            MonthRow(
                month=month, met_on_time=c.met_on_time, met_late=c.met_late,
                overdue=c.overdue, pending=c.pending, stopped=c.stopped,
            ) if (c := found.get(month)) is not None else MonthRow(month=month)
            for month in period.months
        )
        tables.append(TimescaleTable(
            code=code, name=scale.description(language) if scale else code,
            target_share=scale.target_share if scale else None, months=months,
        ))
    return tuple(tables)


def timeliness(user: User, *, period: Period, now: dt.datetime) -> Timeliness:
    """The board's figures for ``period``: one table per timescale with any clock due in it
    (or the one asked for), every month of the period in order. Refused (``Forbidden``) unless
    :func:`may_read_counts`. One statement for the counts, one for the audit."""
    require_reader(user)
    counts = counts_by_month(
        since=period.since, until=add_months(period.until, 1), now=now,
        timescales=[period.timescale] if period.timescale else None,
    )
    record_access(
        user, action=AccessAction.VIEW, record_kind=RECORD_KIND,
        detail={
            "since": month_code(period.since), "until": month_code(period.until),
            "timescale": period.timescale,
        },
    )
    return Timeliness(period=period, tables=_tables(period, counts, get_language() or "en"))
