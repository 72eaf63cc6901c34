"""Pages for restricted records: break-glass access, and managing a restriction (IS1)."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from tarian.agencies.models import User
from tarian.errors import Forbidden, NotFound, Refused, Restricted
from tarian.people import restriction, selectors
from tarian.web.forms import add_refusal


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see this record now?"),
        help_text=_(
            "For example: a child on this record is at the front door now and I need to check "
            "for a protection plan. Your reason is recorded and your manager is told."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why you need to see this record now")},
    )


class RestrictionForm(forms.Form):
    restricted = forms.TypedChoiceField(
        label=_("Restrict this record?"),
        choices=[("yes", _("Yes, only named people may see it")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the record is restricted")},
    )
    named = forms.CharField(
        label=_("Who else may see it"),
        help_text=_("Usernames separated by commas. You are named automatically."),
        required=False,
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the record is being restricted or opened up")},
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, ref: str) -> HttpResponse:
    user = _user(request)
    try:
        selectors.person_for(user, ref)
        return HttpResponseRedirect(reverse("web:person", args=[ref]))
    except NotFound as exc:
        raise Http404 from exc
    except Restricted:
        pass
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            restriction.open_restricted_record(user, ref=ref, reason=form.cleaned_data["reason"])
        except Refused as refused:
            add_refusal(form, refused)
        else:
            return HttpResponseRedirect(reverse("web:person", args=[ref]))
    return render(request, "web/restricted.html", {"ref": ref, "form": form}, status=403)


@require_http_methods(["GET", "POST"])
def manage_restriction(request: HttpRequest, ref: str) -> HttpResponse:
    user = _user(request)
    try:
        person, named_now = restriction.restriction_of(
            user, ref, audited=request.method == "GET"
        )
    except (NotFound, Restricted) as exc:
        raise Http404 from exc
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
        except Forbidden as exc:
            raise Http404 from exc
        else:
            return HttpResponseRedirect(reverse("web:person", args=[ref]))
    if request.method == "POST":
        restriction.audit_restriction_shown(user, person)  # shown again, with the errors
    return render(
        request,
        "web/restriction.html",
        {"person": person, "form": form, "named_now": named_now, "tab": "restriction"},
    )
