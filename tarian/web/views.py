"""The web shell: log-in, the role-based home page, person search and a person's record.

Views are thin: they parse the request, call one selector or service and render. Access rules
live in the selectors; a record the user may not see is a plain 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind, User
from tarian.audit.models import AccessAction, AccessEvent
from tarian.documents.services import documents_for
from tarian.drafts.selectors import draft_rows
from tarian.errors import NotFound, Restricted
from tarian.people import selectors
from tarian.people.duplicates import merge_notice, open_pair_count
from tarian.people.models import Involvement
from tarian.web.forms import LoginForm


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.session.pop("tarian_expired", False)
        context["oidc_enabled"] = settings.TARIAN_OIDC_ENABLED
        context["oidc_provider"] = getattr(settings, "TARIAN_OIDC_PROVIDER_NAME", "")
        return context


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    may_search = can(user, RecordKind.PERSON, Action.LIST)
    recent: list[Any] = []
    caseload: list[Involvement] = []
    caseload_count = 0
    if may_search:
        seen = (
            AccessEvent.objects.filter(user=user, action=AccessAction.VIEW, record_kind="person")
            .order_by("-at")
            .values_list("person_id", flat=True)[:50]
        )
        ids: list[int] = []
        for pid in seen:
            if pid is not None and pid not in ids:
                ids.append(pid)
        visible = {p.pk: p for p in selectors.people_for(user).filter(pk__in=ids[:8])}
        recent = [visible[i] for i in ids[:8] if i in visible]
        if user.agency_id is not None:
            today = timezone.localdate()
            involved = (
                Involvement.objects.filter(agency_id=user.agency_id, end_date__isnull=True)
                .filter(start_date__lte=today, person__in=selectors.people_for(user))
                .select_related("person")
                .order_by("person__family_name", "person__given_name")
            )
            if user.has_role("social_worker"):
                involved = involved.filter(
                    Q(professional=user) | Q(professional__isnull=True, team_id=user.team_id)
                )
            caseload_count = involved.count()
            caseload = list(involved[:10])
        # The page names these children: showing them is a read of each (IS4).
        selectors.audit_listed(
            user, [p.pk for p in recent] + [i.person_id for i in caseload], shown_on="home"
        )
    return render(
        request,
        "web/home.html",
        {
            "may_search": may_search,
            "recent": recent,
            "caseload": caseload,
            "caseload_count": caseload_count,
            "roles": sorted(user.roles.all(), key=lambda r: r.code),
            "may_review_duplicates": can(user, RecordKind.MERGE, Action.LIST),
            "duplicates_to_review": open_pair_count(user),
            "may_edit_threshold_guide": can(user, RecordKind.THRESHOLD_GUIDE, Action.WRITE),
            "drafts": draft_rows(user),
        },
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can(user, RecordKind.PERSON, Action.LIST):
        raise Http404
    text = request.GET.get("q", "").strip()
    query = selectors.parse_search(text)
    results = selectors.search_people(user, text) if text else []
    restricted = selectors.restricted_matches(user, text) if text else []
    context = {
        "q": text,
        "results": results,
        "restricted": restricted,
        "query": query,
        "searched": bool(text),
    }
    if request.headers.get("HX-Request"):
        return render(request, "web/_search_results.html", context)
    return render(request, "web/search.html", context)


def _break_glass_page(ref: str) -> HttpResponse:
    return HttpResponseRedirect(reverse("web:break_glass", args=[ref]))


@require_GET
def person(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        record = selectors.view_person(_user(request), ref)
    except NotFound as exc:
        raise Http404 from exc
    except Restricted:
        return _break_glass_page(ref)
    today = timezone.localdate()
    current = [i for i in record.involvements if i.is_current(today)]
    past = [i for i in record.involvements if not i.is_current(today)]
    return render(
        request,
        "web/person.html",
        {
            "record": record,
            "person": record.person,
            "current_involvements": current,
            "past_involvements": past,
            "current_residence": next((r for r in record.residences if r.end_date is None), None),
            "age": record.person.age_on(today),
            "documents": documents_for(_user(request), ref),
            "tab": "record",
            # A merged record keeps its own page, with a banner saying where the child's record
            # now is, rather than redirecting: a redirect would silently swap the Tarian ID a
            # practitioner typed or followed (from a letter, another agency's system) for a
            # different one, which on a child's record looks like the wrong child opening. The
            # banner says what happened, to which record and when, and the merged record's own
            # history stays one click away for the audit trail (IS3, IS4).
            "merge_notice": merge_notice(_user(request), record.person),
        },
    )


@require_GET
def person_viewed(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        subject, events = selectors.access_log(_user(request), ref)
    except NotFound as exc:
        raise Http404 from exc
    except Restricted:
        return _break_glass_page(ref)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/person_viewed.html",
        {
            "person": subject,
            "page": page,
            "tab": "viewed",
            "record": {"may_see_access_log": True},
        },
    )


@require_GET
def person_history(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        subject, versions = selectors.record_history(_user(request), ref)
    except NotFound as exc:
        raise Http404 from exc
    except Restricted:
        return _break_glass_page(ref)
    page = Paginator(versions, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "web/person_history.html",
        {"person": subject, "page": page, "tab": "history"},
    )
