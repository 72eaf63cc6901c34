"""The police officer's side of a supervisor's review (FD3, #20 item 2): the page on which the
officer changes what a returned referral says, answers the comment and sends it again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tarian.errors import Conflict, Forbidden, Refused
from tarian.referrals import police, reviews, selectors, words
from tarian.referrals.forms import ResubmitForm
from tarian.referrals.threshold import threshold_guide
from tarian.referrals.views import _page, _sent_to_supervisor
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of


@require_http_methods(["GET", "POST"])
def resubmit(request: HttpRequest, ref: str) -> HttpResponse:
    """FD3 (#20 item 2): the officer changes what the supervisor's comment asks, answers it and
    sends the referral to them again. The page shows the comment and the referral's content to
    change; a field the request leaves out stays as it is."""
    user = user_of(request)
    page = _page(request, ref)
    referral = page.referral
    is_police = police.is_police(user.agency)
    if request.method == "POST":
        form = ResubmitForm(request.POST, police=is_police)
        if form.is_valid():
            try:
                review = reviews.resubmit_referral(
                    user, ref=ref, answer=form.cleaned_data["answer"],
                    version=form.cleaned_data["version"],
                    changes=form.changes(request.POST.keys()),
                    # The page asks for the police facts: sent from it, they must be complete.
                    require_police_facts=any(name in request.POST for name in police.FIELDS),
                )
            except Refused as refused:
                add_refusal(form, refused)
            except Conflict:
                form.add_error(None, _("Someone else acted on this %(report)s. Check it "
                                       "again below.") % words.pack_words())
            else:
                messages.success(request, _sent_to_supervisor(review.referral))
                return HttpResponseRedirect(reverse("web:referral", args=[ref]))
        status = 400
    else:
        if not page.may_resubmit:
            raise Forbidden("referral:resubmit")
        form = ResubmitForm(initial=ResubmitForm.initial_for(referral), police=is_police)
        status = 200
    returned = [step for step in page.reviews if step.action == "returned_to_referrer"]
    return render(
        request, "referrals/referral_resubmit.html",
        {"referral": referral, "form": form, "comment": returned[-1] if returned else None,
         "children": selectors.named_people(user, referral)[0],
         "guide": threshold_guide(), "language": get_language() or "en"},
        status=status,
    )
