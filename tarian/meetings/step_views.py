"""What people do on a meeting's page (issue 21; SM1, SM2, SM4 to SM6): each form posts here,
one service is called, and the page is shown again (redirect, with a message) — or, when the
service refuses, with the problem on the field it names and everything typed kept (400).

Who may do what is the services' rule (``tarian.meetings.services``): a form posted by someone
who may not use it is the 404 page, as for a meeting they may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tarian.agencies.models import Agency, User
from tarian.errors import Conflict, Forbidden, Refused
from tarian.meetings import selectors, services
from tarian.meetings.forms import (
    ActionForm,
    AddendumForm,
    AgencyReasonForm,
    AnswerForm,
    CancelForm,
    DecisionForm,
    DissentForm,
    HeldForm,
    MinutesForm,
    ShareForm,
)
from tarian.meetings.kinds import decision_list
from tarian.meetings.models import Audience
from tarian.meetings.views import record_page
from tarian.people.models import Person
from tarian.people.selectors import people_for
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of

# A service names the moment it checks; the page asks for it in the date pattern's first box.
FIELD_ON_PAGE = {"held_at": "day", "agreed_on": "day", "due_date": "day", "__all__": None}


def _refuse(form: forms.Form, refused: Refused) -> None:
    errors: dict[str, list[str]] = {}
    for name, said in refused.errors.items():
        errors.setdefault(FIELD_ON_PAGE.get(name, name) or "__all__", []).extend(said)
    add_refusal(form, Refused(errors))


def _back(meeting_id: int, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("web:meeting", args=[meeting_id])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _step(
    request: HttpRequest,
    meeting_id: int,
    name: str,
    form: forms.Form,
    act: Callable[[forms.Form], Any],
    done: str,
    anchor: str = "",
) -> HttpResponse:
    """Check the form, call the service (``act``); on success say ``done`` and show the
    meeting again. A refusal or someone else's change comes back on the form (400)."""
    if form.is_valid():
        try:
            act(form)
        except Refused as refused:
            _refuse(form, refused)
        except Conflict:
            form.add_error(None, _("Someone else changed this meeting while you were working "
                                   "on it. Check it below: what you typed is kept."))
        else:
            messages.success(request, done)
            return _back(meeting_id, anchor)
    return record_page(request, meeting_id, given={name: form}, status=400)


def _agency(value: str) -> Agency:
    found = Agency.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if found is None:
        raise Refused("agency", _("Choose an agency"))
    return found


def _text(form: forms.Form, field: str) -> str:
    return str(form.cleaned_data.get(field) or "")


@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    form = AnswerForm(request.POST, prefix="answer")
    return _step(
        request, pk, "answer", form,
        lambda f: services.answer_invitation(
            user, meeting_id=pk, status=_text(f, "status"), reason=_text(f, "reason"),
            information=_text(f, "information"),
            audience=_text(f, "audience") or Audience.INVITED,
        ),
        _("Your agency's answer is recorded."), "invitations",
    )


@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    form = ShareForm(request.POST, prefix="share")
    return _step(
        request, pk, "share", form,
        lambda f: services.share_information(
            user, meeting_id=pk, text=_text(f, "text"),
            audience=_text(f, "audience") or Audience.INVITED,
        ),
        _("The information is shared with the meeting."), "information",
    )


@require_POST
def exclude(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    form = AgencyReasonForm(request.POST, prefix="exclude")
    return _step(
        request, pk, "exclude", form,
        lambda f: services.exclude_invitee(
            user, meeting_id=pk, agency=_agency(_text(f, "agency")), reason=_text(f, "reason")
        ),
        _("The agency is left out, with your reason."), "invitations",
    )


@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    form = AgencyReasonForm(request.POST, prefix="invite")
    return _step(
        request, pk, "invite", form,
        lambda f: services.invite_agency(
            user, meeting_id=pk, agency=_agency(_text(f, "agency")), reason=_text(f, "reason")
        ),
        _("The agency is invited and has been told."), "invitations",
    )


@require_POST
def held(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    chosen = request.POST.getlist("held-attended")
    form = HeldForm(request.POST, prefix="held", agencies=[(v, v) for v in chosen])

    def act(f: forms.Form) -> Any:
        assert isinstance(f, HeldForm)
        moment = f.moment()
        if moment is None:
            raise Refused("held_at", str(f.when_error))
        attended = list(Agency.objects.filter(pk__in=[v for v in chosen if v.isdigit()]))
        return services.record_held(
            user, meeting_id=pk, held_at=moment, attended=attended,
            risk_analysis=_text(f, "risk_analysis"),
        )

    return _step(request, pk, "held", form, act, _("The meeting is recorded as held."))


def _child(user: Any, ref: str) -> Person | None:
    if not ref.strip():
        return None
    found = people_for(user).filter(ref=ref.strip().upper()).first()
    if found is None:
        raise Refused("child", _("Choose a child this meeting is about"))
    return found


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    form = DecisionForm(request.POST, prefix="decision")

    def act(f: forms.Form) -> Any:
        meeting = selectors.meeting_for(user, pk)
        list_name = decision_list(meeting.kind)
        if list_name is None:
            raise Refused("decision", _("This kind of meeting records no decisions here"))
        return services.record_meeting_decision(
            user, meeting_id=pk, list_name=list_name, code=_text(f, "decision"),
            rationale=_text(f, "rationale"), child=_child(user, _text(f, "child")),
        )

    return _step(request, pk, "decision", form, act, _("The decision is recorded."),
                 "decisions")


@require_POST
def circulate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.circulate_decisions(user_of(request), meeting_id=pk)
    except Refused as refused:
        for said in refused.errors.values():
            for message in said:
                messages.error(request, message)
        return _back(pk, "decisions")
    messages.success(request, _("The decisions have been sent to every invited agency."))
    return _back(pk, "decisions")


@require_POST
def dissent(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    form = DissentForm(request.POST, prefix="dissent")

    def act(f: forms.Form) -> Any:
        chosen = _text(f, "decision")
        if chosen and not chosen.isdigit():
            raise Refused("decision", _("Choose a decision of this meeting"))
        return services.record_dissent(
            user, meeting_id=pk, reason=_text(f, "reason"),
            decision_id=int(chosen) if chosen else None, what=_text(f, "what"),
        )

    return _step(request, pk, "dissent", form, act,
                 _("Your agency's disagreement is recorded with the meeting."), "dissents")


@require_POST
def addendum(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    form = AddendumForm(request.POST, prefix="addendum")

    def act(f: forms.Form) -> Any:
        assert isinstance(f, AddendumForm)
        agreed_on = f.agreed_on()
        assert agreed_on is not None  # the form's clean() requires it
        return services.add_addendum(
            user, meeting_id=pk, text=_text(f, "text"), agreed_on=agreed_on,
            agreed_with=_text(f, "agreed_with"),
        )

    return _step(request, pk, "addendum", form, act, _("The addendum is recorded."), "addenda")


def _owner_agency(value: str) -> Agency | None:
    """The agency chosen to own an action (None when there is no such agency: the service then
    refuses on the field, after checking who may agree actions)."""
    value = value.strip()
    return Agency.objects.filter(pk=int(value)).first() if value.isdigit() else None


def _owner(user: User, meeting_id: int, value: str) -> User | None:
    """The person chosen (by username) to own an action; the service checks their agency."""
    value = value.strip()
    if not value:
        return None
    found = User.objects.filter(username=value, is_active=True).select_related("agency").first()
    if found is None:
        # Only someone who may agree actions learns that the username is unknown.
        if not selectors.may_manage(user, selectors.meeting_for(user, meeting_id)):
            raise Forbidden("meeting:manage")
        raise Refused("owner", _("Choose someone from the list, or leave the person blank"))
    return found


@require_POST
def agree_action(request: HttpRequest, pk: int) -> HttpResponse:
    """SM3: the chair (or the convening agency) records an action the meeting agreed."""
    user = user_of(request)
    form = ActionForm(request.POST, prefix="action")

    def act(f: forms.Form) -> Any:
        assert isinstance(f, ActionForm)
        return services.agree_meeting_action(
            user, meeting_id=pk, description=_text(f, "description"),
            owner_agency=_owner_agency(_text(f, "owner_agency")),
            owner=_owner(user, pk, _text(f, "owner")), due_date=f.due_date(),
        )

    return _step(request, pk, "action", form, act, _("The action is agreed and recorded."),
                 "actions")


def _save_minutes(user: Any, pk: int, form: MinutesForm) -> Any:
    version = form.cleaned_data.get("version")
    return services.save_minutes(
        user, meeting_id=pk, text=_text(form, "text"),
        translation_text=_text(form, "translation"),
        language=_text(form, "language") or "en",
        version=int(version) if version is not None else None,
    )


@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft minutes. A stale version keeps what was typed, says someone else changed
    them, shows the minutes as now saved, and takes the current version: saving again then
    replaces them knowingly."""
    user = user_of(request)
    form = MinutesForm(request.POST, prefix="minutes")
    if form.is_valid():
        try:
            _save_minutes(user, pk, form)
        except Refused as refused:
            _refuse(form, refused)
        except Conflict as conflict:
            data = request.POST.copy()
            data["minutes-version"] = str(conflict.current_version)
            form = MinutesForm(data, prefix="minutes")
            form.is_valid()
            form.add_error("text", _("Someone else changed these minutes while you were "
                                     "writing. What you typed is kept below; compare it with "
                                     "the minutes as they are now saved, then save again."))
            record = selectors.meeting_record(user, pk, audit=False)
            saved = record.minutes.text if record.minutes else ""
            return record_page(request, pk, given={"minutes": form}, status=400,
                               conflict_text=saved)
        else:
            messages.success(request, _("The minutes are saved as a draft."))
            return _back(pk, "minutes")
    return record_page(request, pk, given={"minutes": form}, status=400)


@require_POST
def autosave_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: keep the minutes as they are typed. The answer replaces the saved state and the
    form's version; a stale version says someone else changed them (nothing typed is lost:
    the text stays in the browser)."""
    user = user_of(request)
    form = MinutesForm(request.POST, prefix="minutes")
    context: dict[str, Any] = {"meeting_id": pk}
    if not form.is_valid():
        context["problem"] = _("These minutes could not be saved. Save them with the button.")
    else:
        try:
            saved = _save_minutes(user, pk, form)
        except Refused as refused:
            context["problem"] = " ".join(m for said in refused.errors.values() for m in said)
        except Conflict:
            context["conflict"] = True
        else:
            context["saved_at"] = timezone.localtime(saved.modified_at)
            context["version"] = saved.version
    return render(request, "meetings/_minutes_status.html", context)


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.approve_minutes(user_of(request), meeting_id=pk)
    except Refused as refused:
        for said in refused.errors.values():
            for message in said:
                messages.error(request, message)
        return _back(pk, "minutes")
    messages.success(request, _("The minutes are approved."))
    return _back(pk, "minutes")


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    form = CancelForm(request.POST, prefix="cancel")
    return _step(
        request, pk, "cancel", form,
        lambda f: services.cancel_meeting(user, meeting_id=pk, reason=_text(f, "reason")),
        _("The meeting is cancelled, with your reason."),
    )
