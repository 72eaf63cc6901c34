"""Pages for restricted records: break-glass access, and managing a restriction (IS1)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tarian.errors import NotFound, Refused, Restricted
from tarian.people import restriction, selectors
from tarian.people.forms import BreakGlassForm, RestrictionForm
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    try:
        selectors.person_for(user, ref)
    except Restricted:
        pass
    else:
        return HttpResponseRedirect(reverse("web:person", args=[ref]))
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            restriction.open_restricted_record(user, ref=ref, reason=form.cleaned_data["reason"])
        except Refused as refused:
            add_refusal(form, refused)
        else:
            return HttpResponseRedirect(reverse("web:person", args=[ref]))
    return render(request, "people/restricted.html", {"ref": ref, "form": form}, status=403)


@require_http_methods(["GET", "POST"])
def manage_restriction(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    try:
        person, named_now = restriction.restriction_of(
            user, ref, audited=request.method == "GET"
        )
    except Restricted as exc:
        # Managing a restriction is for those who may see the record: no break-glass offer.
        raise NotFound(ref) from exc
    initial = {
        "restricted": "yes" if person.is_restricted else "no",
        "named": ", ".join(a.user.username for a in named_now if a.user_id != user.pk),
    }
    form = RestrictionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        names = [n.strip() for n in form.cleaned_data["named"].split(",") if n.strip()]
        try:
            restriction.set_restriction(
                user, person=person, restricted=form.cleaned_data["restricted"],
                reason=form.cleaned_data["reason"], named_usernames=names,
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            return HttpResponseRedirect(reverse("web:person", args=[ref]))
    if request.method == "POST":
        restriction.audit_restriction_shown(user, person)  # shown again, with the errors
    return render(
        request,
        "people/restriction.html",
        {"person": person, "form": form, "named_now": named_now, "tab": "restriction"},
    )
