"""Is this child already known? The as-you-type panel of the referral form (FD6)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind
from tarian.errors import Refused
from tarian.people.identifiers import parse_nhs_number
from tarian.people.matching.answers import check_typed_query, match_for
from tarian.people.matching.engine import MatchQuery
from tarian.web.refusals import user_of


def _typed(request: HttpRequest) -> MatchQuery:
    """What has been typed so far; a half-typed date or NHS number is left out, not refused."""
    get = request.GET
    born = None
    try:
        born = dt.date(int(get.get("dob_year", "")), int(get.get("dob_month", "")),
                       int(get.get("dob_day", "")))
    except (ValueError, OverflowError):
        born = None
    nhs = ""
    try:
        nhs = parse_nhs_number(get.get("match_nhs_number", ""))
    except ValueError:
        nhs = ""
    return MatchQuery(
        given_name=get.get("match_given_name", "")[:100],
        family_name=get.get("match_family_name", "")[:100],
        date_of_birth=born,
        postcode=get.get("match_postcode", "")[:10],
        nhs_number=nhs,
    )


@require_GET
def match_panel(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can(user, RecordKind.PERSON, Action.LIST):
        raise Http404
    query = _typed(request)
    dob_problem = ""
    try:
        check_typed_query(query)
    except Refused as refused:
        # Said beside the results, and the rest of what was typed is still searched for.
        dob_problem = refused.errors["date_of_birth"][0]
        query = dataclasses.replace(query, date_of_birth=None)
    enough = bool(query.nhs_number) or (
        len(query.given_name) + len(query.family_name) >= 3
        and (query.date_of_birth is not None or bool(query.family_name))
    )
    answer = match_for(user, query) if enough else None
    return render(
        request,
        "people/_match_results.html",
        {
            "answer": answer,
            "enough": enough,
            "dob_problem": dob_problem,
            "for_referral": request.GET.get("for") == "referral",
            # The referral draft the panel is on, for "Add … to this referral" (issue 18).
            "about": request.GET.get("about", "")[:16],
        },
    )
