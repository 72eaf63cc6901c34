"""A child's chronology page (IS2): MoJ timeline, filter by agency, printable."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from tarian.chronology.selectors import chronology_for, parse_since, protective_marking
from tarian.errors import Refused
from tarian.web.refusals import user_of


@require_GET
def chronology(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    since: dt.date | None = None
    raw_since = request.GET.get("since", "")
    since_error = ""
    try:
        since = parse_since(raw_since)
    except Refused as refused:
        # Shown on the filter; the chronology is listed unfiltered meanwhile.
        since_error = refused.errors["since"][0]
    result = chronology_for(user, ref, agency=request.GET.get("agency", ""), since=since)
    return render(
        request,
        "chronology/chronology.html",
        {
            "person": result.person,
            "chronology": result,
            "since": raw_since if since else "",
            "since_error": since_error,
            "tab": "chronology",
            # The printout says who printed it, when, and how it must be handled (#20 item 10).
            "protective_marking": protective_marking(),
            "printed_by": (
                f"{user} ({user.agency.display_name(get_language() or 'en')})"
                if user.agency else str(user)
            ),
            "printed_at": timezone.localtime(),
            "agency_filter_name": dict(result.agencies).get(result.agency_filter, ""),
        },
    )
