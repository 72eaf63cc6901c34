"""The safeguarding board's timeliness dashboard (QA1): a table per timescale of how the
statutory clocks due in each month went, with a chart of the same figures. Thin: the rules are
``timeliness``'s."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tarian.deadlines import timeliness
from tarian.deadlines.forms import PeriodForm
from tarian.errors import Refused
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of


@require_GET
def timeliness_page(request: HttpRequest) -> HttpResponse:
    """For board members and children's services team managers; anyone else gets the 404
    page (``Forbidden`` rises to the shell's refusal middleware) before the months asked for
    are looked at. Bad months or an unknown timescale: the form again with a GOV.UK error
    summary naming each field (400)."""
    user = user_of(request)
    timeliness.require_reader(user)
    now = timezone.now()
    form = PeriodForm(request.GET, now=now)
    form.is_valid()
    try:
        period = timeliness.parse_period(
            since=request.GET.get("since"), until=request.GET.get("until"),
            timescale=request.GET.get("timescale"), now=now,
        )
    except Refused as refused:
        add_refusal(form, refused)
        return render(request, "deadlines/timeliness.html", {"form": form}, status=400)
    form = PeriodForm(
        {
            "since": timeliness.month_code(period.since),
            "until": timeliness.month_code(period.until),
            "timescale": period.timescale,
        },
        now=now, also=(period.since, period.until),
    )
    return render(
        request, "deadlines/timeliness.html",
        {"form": form, "figures": timeliness.timeliness(user, period=period, now=now)},
    )
