"""A person's record: search, the record itself, who has viewed it and its history (IS1, IS3,
IS4).

Views are thin: they parse the request, call one selector and render. Access rules live in the
selectors; a record the user may not see rises as ``NotFound`` (a plain 404) and a restricted
one as ``Restricted`` (break the glass), both answered by ``tarian.web.refusals``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind
from tarian.people import selectors
from tarian.people.duplicates import merge_notice
from tarian.people.history import history_entries
from tarian.people.panels import panels_for
from tarian.people.search import search_people
from tarian.web.refusals import user_of


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can(user, RecordKind.PERSON, Action.LIST):
        raise Http404
    text = request.GET.get("q", "").strip()
    answer = search_people(user, text, page=request.GET.get("page")) if text else None
    if (
        answer is not None and answer.query.is_identifier and answer.count == 1
        and not request.headers.get("HX-Request")
    ):
        # An NHS number, pupil number or Tarian ID names one record: go straight to it.
        return redirect("web:person", answer.results[0].person.ref)
    context = {
        "q": text,
        "answer": answer,
        "results": answer.results if answer else [],
        "page": answer.page if answer else None,
        "page_params": urlencode({"q": text}) + "&",
        "restricted": answer.restricted if answer else [],
        "searched": bool(text),
    }
    if request.headers.get("HX-Request"):
        return render(request, "people/_search_results.html", context)
    return render(request, "people/search.html", context)


@require_GET
def person(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    record = selectors.view_person(user, ref)
    today = timezone.localdate()
    current = [i for i in record.involvements if i.is_current(today)]
    past = [i for i in record.involvements if not i.is_current(today)]
    return render(
        request,
        "people/person.html",
        {
            "record": record,
            "person": record.person,
            "current_involvements": current,
            "past_involvements": past,
            "current_residence": next((r for r in record.residences if r.end_date is None), None),
            "age": record.person.age_on(today),
            "panels": panels_for(user, record.person),
            "tab": "record",
            # A merged record keeps its own page, with a banner saying where the child's record
            # now is, rather than redirecting: a redirect would silently swap the Tarian ID a
            # practitioner typed or followed (from a letter, another agency's system) for a
            # different one, which on a child's record looks like the wrong child opening. The
            # banner says what happened, to which record and when, and the merged record's own
            # history stays one click away for the audit trail (IS3, IS4).
            "merge_notice": merge_notice(user, record.person),
        },
    )


@require_GET
def person_viewed(request: HttpRequest, ref: str) -> HttpResponse:
    subject, events = selectors.access_log(user_of(request), ref)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_viewed.html",
        {
            "person": subject,
            "page": page,
            "tab": "viewed",
            "record": {"may_see_access_log": True},
        },
    )


@require_GET
def person_history(request: HttpRequest, ref: str) -> HttpResponse:
    subject, versions = selectors.record_history(user_of(request), ref)
    page = Paginator(versions, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_history.html",
        {
            "person": subject,
            "page": page,
            "entries": history_entries(page.object_list),
            "tab": "history",
        },
    )
