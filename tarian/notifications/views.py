"""The notifications page: messages for the signed-in user (break-glass alerts, feedback, what
was circulated to them), and acknowledging the receipt of something circulated (SM4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tarian.notifications.circulation import acknowledge
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


@require_POST
def acknowledge_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """Acknowledge a receipt that is the user's (or their agency's); someone else's is 404.
    Then back where they were, or to what was sent."""
    receipt = acknowledge(user_of(request), receipt_id=pk)
    messages.success(
        request,
        _("You acknowledged receipt of “%(title)s”.") % {"title": receipt.circulation.title},
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = receipt.circulation.link
    return HttpResponseRedirect(back)
