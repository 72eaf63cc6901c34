"""The page that closes an agreed action with its outcome (SM3); the home page lists the
user's actions (``selectors.my_actions``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tarian.actions import selectors, services
from tarian.actions.forms import OutcomeForm
from tarian.errors import Conflict, Refused
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of


@require_http_methods(["GET", "POST"])
def complete_action(request: HttpRequest, action_id: int) -> HttpResponse:
    """Shows the action and asks for its outcome; completed, back to what it was agreed in
    (or home). A refusal is shown on the form, with what was typed kept (400). An action the
    user may not see is 404 (``NotFound`` rises to the shell's refusal middleware)."""
    user = user_of(request)
    action = selectors.action_for(user, action_id)
    what, link = selectors.subject_text(user, action)
    status = 200
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.complete_action(
                    user, action_id=action.pk, outcome=form.cleaned_data["outcome"],
                    version=form.cleaned_data["version"],
                )
            except Refused as refused:
                add_refusal(form, refused)
            except Conflict as conflict:
                form.add_error(None, _("Someone else changed this action since you opened "
                                       "it. Check it again below."))
                # Sent again, the outcome typed applies to the action as it is now.
                typed = request.POST.copy()
                typed["version"] = str(conflict.current_version)
                form.data = typed
            else:
                messages.success(request, _("The action is completed and its outcome "
                                            "recorded."))
                return HttpResponseRedirect(link or reverse("web:home"))
        status = 400
        action = selectors.action_for(user, action_id)
    else:
        form = OutcomeForm(initial={"version": action.version})
    return render(
        request, "actions/complete.html",
        {
            "action": action, "form": form, "what": what, "link": link,
            "may_complete": selectors.may_complete(user, action),
            "is_overdue": action.is_overdue_on(timezone.localdate()),
        },
        status=status,
    )
