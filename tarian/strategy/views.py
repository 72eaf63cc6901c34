"""Convening a strategy discussion or meeting from a page (issue 21; SM1, SM6): children's
services choose the kind, the children, when, and the chair; Tarian proposes and invites every
involved agency (``services.convene_strategy_meeting``). A referral that already opened one
leads to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tarian.agencies.access import can
from tarian.agencies.models import Action, AgencyType, RecordKind, User
from tarian.errors import Forbidden, NotFound, Refused
from tarian.meetings.selectors import meetings_for
from tarian.referrals.selectors import referral_for
from tarian.strategy import services
from tarian.strategy.forms import ConveneForm
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of

CONVENING_ROLES = ("team_manager", "social_worker", "gateway_worker", "conference_chair")


def _may_convene(user: User) -> bool:
    return (
        can(user, RecordKind.MEETING, Action.WRITE) and user.has_role(*CONVENING_ROLES)
        and user.agency is not None and user.agency.type == AgencyType.CHILDRENS_SERVICES
    )


def _opened(request: HttpRequest, user: User, ref: str) -> HttpResponse | None:
    """The meeting the referral already opened, if the user may see it: go there."""
    try:
        referral = referral_for(user, ref)
    except NotFound:
        return None
    meeting = services.open_meeting_for(referral)
    if meeting is None or not meetings_for(user).filter(pk=meeting.pk).exists():
        return None
    messages.success(request, _("Referral %(ref)s already opened %(meeting)s: here it is.") % {
        "ref": referral.ref, "meeting": meeting.reference})
    return HttpResponseRedirect(reverse("web:meeting", args=[meeting.pk]))


@require_http_methods(["GET", "POST"])
def new_strategy_meeting(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not _may_convene(user):
        raise Forbidden("strategy_meeting:convene")
    if request.method == "GET":
        ref = request.GET.get("referral", "").strip().upper()[:20]
        if ref and (found := _opened(request, user, ref)) is not None:
            return found
        form = ConveneForm(initial={
            "referral": ref, "kind": "discussion", "chair": user.username,
        })
        return render(request, "strategy/convene.html", {"form": form, "referral_ref": ref})
    form = ConveneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            chair = None
            if data.get("chair") and data["chair"] != user.username:
                chair = get_user_model().objects.filter(
                    username=data["chair"], is_active=True).first()
                if chair is None:
                    raise Refused("chair", _("No active user with this username"))
            meeting, created = services.convene_strategy_meeting(
                user, children=form.refs(), kind=data.get("kind") or "discussion",
                referral_ref=data.get("referral") or "", scheduled_for=form.moment(),
                chair=chair, chair_role=data.get("chair_role") or "",
                chair_seniority=data.get("chair_seniority") or "",
            )
        except Refused as refused:
            errors = {("day" if name == "scheduled_for" else name): said
                      for name, said in refused.errors.items()}
            add_refusal(form, Refused(errors))
        else:
            messages.success(request, _(
                "%(meeting)s is convened: every proposed agency is invited and has been told."
            ) % {"meeting": meeting.reference} if created else _(
                "The referral already opened %(meeting)s: here it is."
            ) % {"meeting": meeting.reference})
            return HttpResponseRedirect(reverse("web:meeting", args=[meeting.pk]))
    return render(request, "strategy/convene.html",
                  {"form": form, "referral_ref": form["referral"].value() or ""}, status=400)
