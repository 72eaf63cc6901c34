"""The web shell: log-in and the role-based home page.

Views are thin: they parse the request, call one selector or service and render. Access rules
live in the selectors. Each app's own pages live in that app (``tarian/<app>/views``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tarian.actions.selectors import my_actions
from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind
from tarian.deadlines.selectors import due_and_overdue
from tarian.drafts.selectors import draft_rows
from tarian.notifications.selectors import my_receipts_to_acknowledge
from tarian.people import selectors
from tarian.people.duplicates import open_pair_count
from tarian.web.forms import LoginForm
from tarian.web.refusals import user_of


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """Sign in, and read Tarian in the language the user last chose (VC2, #20 item 11),
        whichever browser they sign in on."""
        response = super().form_valid(form)
        language = form.get_user().language
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language,
                max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

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
    people = selectors.home_people(user)
    return render(
        request,
        "web/home.html",
        {
            "may_search": may_search,
            "recent": people.recent,
            "caseload": people.caseload,
            "caseload_count": people.caseload_count,
            "roles": sorted(user.roles.all(), key=lambda r: r.code),
            "may_review_duplicates": can(user, RecordKind.MERGE, Action.LIST),
            "duplicates_to_review": open_pair_count(user),
            "may_edit_threshold_guide": can(user, RecordKind.THRESHOLD_GUIDE, Action.WRITE),
            "drafts": draft_rows(user),
            # Issue 21: the clocks the user must act on, most overdue first.
            "due_items": due_and_overdue(user, now=timezone.now()),
            # SM4: what was circulated to the user (or their agency) to acknowledge.
            "to_acknowledge": my_receipts_to_acknowledge(user),
            # SM3: the agreed actions the user (or their agency, with nobody named) must do.
            "agreed_actions": my_actions(user, today=timezone.localdate()),
        },
    )
