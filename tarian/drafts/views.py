"""Discarding one of the user's own drafts (issue 18); they are listed by
``drafts.selectors.draft_rows`` on the home page and the referrals list."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tarian.drafts import services as drafts
from tarian.web.refusals import user_of


@require_POST
def discard(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Discard one of the user's own drafts, then go back where they were."""
    drafts.discard_draft_by_id(user_of(request), draft_id)
    messages.success(request, _("The draft was discarded."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("web:home")
    return HttpResponseRedirect(back)
