"""A child's chronology page (IS2): MoJ timeline, filter by agency, printable."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tarian.agencies.models import User
from tarian.chronology.selectors import chronology_for
from tarian.errors import NotFound, Restricted


@require_GET
def chronology(request: HttpRequest, ref: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    since: dt.date | None = None
    raw_since = request.GET.get("since", "")
    if raw_since:
        try:
            since = dt.date.fromisoformat(raw_since)
        except ValueError:
            since = None
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
            "tab": "chronology",
        },
    )
