"""The notifications page: messages for the signed-in user (break-glass alerts, feedback)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tarian.agencies.models import User
from tarian.notifications.models import Notification
from tarian.notifications.services import mark_read


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(recipient=_user(request)).order_by("-created_at", "-id")
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(request, "web/notifications.html", {"page": page})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    ids = Notification.objects.filter(recipient=user, read_at__isnull=True).values_list(
        "pk", flat=True
    )
    mark_read(user, ids)
    return HttpResponseRedirect(reverse("web:notifications"))
