"""The web shell: log-in and the role-based home page.

Views are thin: they parse the request, call one selector or service and render. Access rules
live in the selectors. Each app's own pages live in that app (``tarian/<app>/views``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind
from tarian.audit.models import AccessAction, AccessEvent
from tarian.drafts.selectors import draft_rows
from tarian.people import selectors
from tarian.people.duplicates import open_pair_count
from tarian.people.models import Involvement
from tarian.web.forms import LoginForm
from tarian.web.refusals import user_of


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
    user = user_of(request)
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
