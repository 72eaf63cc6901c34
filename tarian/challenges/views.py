"""Professional challenge pages (PC1): raising one about a decision, and its record, where
those allowed answer or escalate it. A decision the reader may not see, or may not challenge,
is "not found" (``web.refusals``); a refusal keeps what was typed and names the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tarian.challenges import selectors, services
from tarian.challenges.about import challengeable
from tarian.challenges.forms import EscalateForm, RaiseForm, RespondForm, WithdrawForm, attach
from tarian.errors import Conflict, Forbidden, NotFound, Refused
from tarian.web.refusals import user_of


def _decision(request: HttpRequest, kind_code: str, about_id: str) -> dict[str, Any]:
    """What the new challenge is about, if the user may challenge it (else not found)."""
    user = user_of(request)
    try:
        kind = challengeable(kind_code)
    except Refused:
        raise NotFound from None
    if not about_id or about_id not in kind.may_see(user, [about_id]):
        raise NotFound
    if not kind.may_challenge(user, about_id):
        raise Forbidden
    return {
        "about": kind.describe(user, [about_id]).get(about_id),
        "about_label": kind.label(),
    }


@require_http_methods(["GET", "POST"])
def new_challenge(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    kind_code, about_id = str(source.get("kind", ""))[:32], str(source.get("id", ""))[:64]
    context = _decision(request, kind_code, about_id)
    if request.method == "GET":
        form = RaiseForm(initial={"kind": kind_code, "id": about_id})
        return render(request, "challenges/new.html", {**context, "form": form})
    form = RaiseForm(request.POST)
    if form.is_valid():
        try:
            challenge = services.raise_challenge(
                user_of(request), about_kind=kind_code, about_id=about_id,
                reason=form.cleaned_data["reason"],
            )
        except Refused as refused:
            attach(form, refused)
        else:
            messages.success(request, _("Your challenge is recorded. Tier 1 has begun."))
            return HttpResponseRedirect(reverse("web:challenge", args=[challenge.pk]))
    return render(request, "challenges/new.html", {**context, "form": form}, status=400)


ACTIONS: dict[str, type[forms.Form]] = {
    "respond": RespondForm, "escalate": EscalateForm, "withdraw": WithdrawForm,
}


@require_http_methods(["GET", "POST"])
def challenge(request: HttpRequest, challenge_id: int) -> HttpResponse:
    user = user_of(request)
    page = selectors.challenge_page(user, challenge_id)
    version = page.challenge.version
    bound: dict[str, forms.Form] = {
        name: form_class(initial={"version": version}, prefix=name)
        for name, form_class in ACTIONS.items()
    }
    status = 200
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        if action not in ACTIONS:
            raise NotFound
        form = ACTIONS[action](request.POST, prefix=action)
        bound[action] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                _act(request, action, challenge_id, data)
            except Refused as refused:
                attach(form, refused)
                status = 400
            except Conflict:
                form.add_error(None, _(
                    "Someone else acted on this challenge since you opened it. What you wrote "
                    "is kept below: read the challenge again, then send it again."
                ))
                status = 409
            else:
                return HttpResponseRedirect(reverse("web:challenge", args=[challenge_id]))
        else:
            status = 400
    return render(request, "challenges/challenge.html", {
        "page": page, "challenge": page.challenge, "forms": bound,
        "respond_form": bound["respond"], "escalate_form": bound["escalate"],
        "withdraw_form": bound["withdraw"],
        "errors_in": next((name for name, f in bound.items() if f.errors), ""),
    }, status=status)


def _act(request: HttpRequest, action: str, challenge_id: int, data: dict[str, Any]) -> None:
    user = user_of(request)
    if action == "respond":
        resolved = data["resolved"] == "yes"
        services.respond(user, challenge_id=challenge_id, text=data["text"], resolved=resolved,
                         version=data.get("version"))
        messages.success(request, _("The challenge is resolved.") if resolved
                         else _("Your response is recorded."))
    elif action == "escalate":
        services.escalate(user, challenge_id=challenge_id, reason=data["reason"],
                          version=data.get("version"))
        messages.success(request, _("The challenge is escalated to the next tier."))
    else:
        services.withdraw(user, challenge_id=challenge_id, reason=data["reason"],
                          version=data.get("version"))
        messages.success(request, _("The challenge is withdrawn. Its record stays."))
