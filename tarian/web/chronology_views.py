"""A child's chronology page (IS2): MoJ timeline, filter by agency, printable."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tarian.agencies.models import User
from tarian.chronology.selectors import chronology_for, parse_since
from tarian.errors import NotFound, Refused, Restricted


@require_GET
def chronology(request: HttpRequest, ref: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    since: dt.date | None = None
    raw_since = request.GET.get("since", "")
    since_error = ""
    try:
        since = parse_since(raw_since)
    except Refused as refused:
        # Shown on the filter; the chronology is listed unfiltered meanwhile.
        since_error = refused.errors["since"][0]
    try:
        result = chronology_for(user, ref, agency=request.GET.get("agency", ""), since=since)
    except NotFound as exc:
        raise Http404 from exc
    except Restricted:
        return HttpResponseRedirect(reverse("web:break_glass", args=[ref]))
    return render(
        request,
        "web/chronology.html",
        {
            "person": result.person,
            "chronology": result,
            "since": raw_since if since else "",
            "since_error": since_error,
            "tab": "chronology",
        },
    )
