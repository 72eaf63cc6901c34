"""The Gateway confirms or rejects the record a child the referrer could not see points to
(issue #20 item 8), on the referral's page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tarian.errors import Conflict, Refused
from tarian.referrals import linking, selectors
from tarian.referrals.forms import CONFIRM, UnseenLinkForm
from tarian.referrals.views import _detail
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of


@require_POST
def link_unseen_child(request: HttpRequest, ref: str, unseen_id: int) -> HttpResponse:
    user = user_of(request)
    form = UnseenLinkForm(request.POST, prefix=f"unseen-{unseen_id}",
                          others=[(request.POST.get(f"unseen-{unseen_id}-child", ""), "")])
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == CONFIRM:
                linking.confirm_unseen_child(user, ref=ref, unseen_id=unseen_id,
                                             version=data["version"])
                messages.success(request, _("Confirmed: the record is now one of the children "
                                            "this referral is about."))
            else:
                row = linking.reject_unseen_child(
                    user, ref=ref, unseen_id=unseen_id, reason=data["reason"],
                    child=data["child"], version=data["version"],
                )
                messages.success(request, _(
                    "Rejected. The record you chose instead is now one of the children this "
                    "referral is about.") if row.linked_id else _(
                    "Rejected. The child stays on the referral as the referrer described them."
                ))
        except Refused as refused:
            add_refusal(form, refused)
        except Conflict:
            form.add_error(None, _("Someone else acted on this referral. Check it again below."))
        else:
            return HttpResponseRedirect(reverse("web:referral", args=[ref]))
    page = selectors.referral_page(user, ref)
    return _detail(request, page, unseen_form=(unseen_id, form), status=400)
