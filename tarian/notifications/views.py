"""The notifications page: messages for the signed-in user (break-glass alerts, feedback)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tarian.notifications.selectors import notifications_of, unread_of
from tarian.notifications.services import mark_read
from tarian.web.refusals import user_of


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_of(user_of(request)), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/notifications.html", {"page": page})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    mark_read(user, unread_of(user).values_list("pk", flat=True))
    return HttpResponseRedirect(reverse("web:notifications"))
