"""Section 47 enquiries' pages (issue 21; EQ1, EQ2, SM7, VC1): starting them from the strategy
meeting that decided them, and the enquiry's page with its forms: a child seen, with their
views, and the conclusion.

Pages are thin: each reads through ``selectors`` (narrowed to the reader and audited there) and
acts through one service, whose refusals are shown on the field they name with what was typed
kept (400). An enquiry the reader may not see, or a form they may not use, is the site's 404
page (``NotFound`` and ``Forbidden`` rise to the shell's middleware).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tarian.agencies.models import User
from tarian.challenges.about import registered
from tarian.challenges.selectors import about_panel
from tarian.enquiries import selectors, services
from tarian.enquiries.forms import ChildSeenForm, ConcludeForm, StartForm
from tarian.enquiries.models import EnquiryStatus
from tarian.errors import Conflict, Forbidden, Refused
from tarian.meetings.selectors import audit_meeting, meeting_for
from tarian.people import vocabulary
from tarian.people.models import Person
from tarian.people.selectors import people_for
from tarian.procedures.packs import current_pack
from tarian.referrals.models import VoiceMethod
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of

TYPE_CHALLENGE_KIND = "enquiry_type"
# A service names the moment it checks; the page asks for it in the date pattern's first box.
FIELD_ON_PAGE = {"seen_at": "day", "strategy_meeting": None, "lead": None, "__all__": None}


def enquiry_name(language: str) -> str:
    """The pack's term: "Section 47 enquiries" (England and Wales alike)."""
    return current_pack().term("section_47_enquiry_name", language)


def _refuse(form: forms.Form, refused: Refused) -> None:
    errors: dict[str, list[str]] = {}
    for name, said in refused.errors.items():
        errors.setdefault(FIELD_ON_PAGE.get(name, name) or "__all__", []).extend(said)
    add_refusal(form, Refused(errors))


def _label(list_name: str, code: str, language: str) -> str:
    pack = current_pack()
    return pack.label(list_name, code, language) if code in pack.codes(list_name) else code


# --- Starting enquiries from the strategy meeting (EQ1) ---------------------------------------


def _start_options(concern: str, language: str) -> dict[str, Any]:
    """The concern's radios, each with the joint protocol's proposal as its hint, and the type's
    radios with the proposal for the concern chosen marked."""
    pack = current_pack()
    protocol = set(pack.codes("joint_protocol"))
    concerns = [
        (item.code, item.label(language),
         pack.item("joint_protocol", item.code).label(language) if item.code in protocol else "")
        for item in pack.list("abuse_categories")
    ]
    concerns.append(("", _("No category recorded"),
                     pack.item("joint_protocol", "unspecified").label(language)))
    proposal = services.proposed_type(concern if concern in pack.codes("abuse_categories") else "")
    types = [
        (item.code, item.label(language),
         _("The joint protocol proposes this for the concern chosen") if item.code == proposal
         else "")
        for item in pack.list("enquiry_types")
    ]
    chosen = concern if concern in protocol else "unspecified"
    return {
        "concern_options": concerns,
        "type_options": types,
        "proposal": proposal,
        "protocol_says": pack.item("joint_protocol", chosen).label(language),
        "unspecified_says": pack.item("joint_protocol", "unspecified").label(language),
    }


@require_http_methods(["GET", "POST"])
def new_enquiry(request: HttpRequest) -> HttpResponse:
    """Start Section 47 enquiries for a strategy meeting that decided them (``?meeting=``):
    children's services practitioners only (``selectors.may_start``)."""
    user = user_of(request)
    if not selectors.may_start(user):
        raise Forbidden("enquiry:start")
    meeting = meeting_for(user, request.GET.get("meeting", ""))
    language = get_language() or "en"
    children: list[Person] = list(meeting.children.all().order_by("pk"))
    visible = set(people_for(user).filter(pk__in=[c.pk for c in children]).values_list(
        "pk", flat=True)) if children else set()
    options = [(c.ref, f"{c.full_name} ({c.ref})") for c in children if c.pk in visible]
    status = 200
    if request.method == "POST":
        form = StartForm(request.POST, prefix="start", children=options)
        if form.is_valid() and "preview" not in request.POST:
            try:
                enquiry = services.start_enquiry(
                    user, strategy_meeting_id=meeting.pk, type=form.cleaned_data["type"],
                    rationale=form.cleaned_data["rationale"],
                    children=form.cleaned_data["children"],
                    concern=form.cleaned_data["concern"].strip(),
                )
            except Refused as refused:
                _refuse(form, refused)
            else:
                messages.success(request, _("%(name)s are started.") % {
                    "name": capfirst(enquiry_name(language))})
                return HttpResponseRedirect(reverse("web:enquiry", args=[enquiry.pk]))
        status = 400 if form.errors else 200
        concern = str(request.POST.get("start-concern", ""))
    else:
        concern = ""
        audit_meeting(user, meeting)
        form = StartForm(prefix="start", children=options, initial={
            "children": [ref for ref, _name in options],
            "type": services.proposed_type(""),
        })
    context = _start_options(concern, language)
    if request.method == "POST" and "preview" in request.POST:
        # The concern changed: the type's radios now start from the protocol's proposal.
        data = request.POST.copy()
        data["start-type"] = context["proposal"]
        form = StartForm(data, prefix="start", children=options)
    return render(request, "enquiries/new.html", {
        "form": form, "meeting": meeting, "name": enquiry_name(language),
        "hidden_children": len(children) - len(options), **context,
    }, status=status)


# --- The enquiry's page (EQ1, EQ2, SM7, VC1) --------------------------------------------------


def _seen_options(language: str) -> dict[str, Any]:
    return {
        "voice_methods": [(code, label) for code, label in VoiceMethod.choices
                          if code != VoiceMethod.NOT_STATED],
        "languages": vocabulary.choices("language", language),
    }


def enquiry_page(
    request: HttpRequest, pk: int, *, given: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The enquiry as the reader may see it, with the forms they may use."""
    user = user_of(request)
    record = selectors.enquiry_record(user, pk, audit=not given)
    enquiry = record.enquiry
    language = get_language() or "en"
    now = timezone.now()
    is_open = enquiry.status == EnquiryStatus.OPEN
    clocks = selectors.child_seen_clocks(enquiry)
    by_child = {clock.person_id: clock for clock in clocks}
    pending = [clock for clock in clocks if selectors.is_open_clock(clock)]
    children = []
    for child in record.children:
        clock = by_child.get(child.pk)
        children.append({
            "child": child,
            "seen": [row for row in record.seen if row.child_id == child.pk],
            "clock": clock,
            "is_overdue": clock is not None and selectors.is_open_clock(clock)
            and clock.due_at < now,
            "not_seen_reason": enquiry.not_seen_reasons.get(child.ref, ""),
        })
    shown: dict[str, forms.Form | None] = {"seen": None, "conclude": None}
    not_seen = _not_seen(record)
    if is_open and record.may_act:
        shown["seen"] = ChildSeenForm(prefix="seen")
    if is_open and record.may_conclude:
        shown["conclude"] = ConcludeForm(prefix="conclude", not_seen=not_seen,
                                         initial={"version": enquiry.version})
    shown.update(given or {})
    failed = next((form for form in (given or {}).values() if form.errors), None)
    pack = current_pack()
    type_challenges = (
        about_panel(user, TYPE_CHALLENGE_KIND, str(enquiry.pk))
        if enquiry.type != enquiry.proposed_type and registered(TYPE_CHALLENGE_KIND) is not None
        else None
    )
    return render(request, "enquiries/enquiry.html", {
        "record": record,
        "enquiry": enquiry,
        "name": enquiry_name(language),
        "type_label": _label("enquiry_types", enquiry.type, language),
        "proposed_label": _label("enquiry_types", enquiry.proposed_type, language),
        "concern_label": _label("abuse_categories", enquiry.concern, language)
        if enquiry.concern else "",
        "outcome_label": _label("enquiry_outcomes", enquiry.outcome, language)
        if enquiry.outcome else "",
        "due_at": pending[0].due_at if pending else None,
        "is_overdue": bool(pending) and pending[0].due_at < now,
        "children": children,
        "forms": shown,
        "failed": failed,
        "type_challenges": type_challenges,
        "children_options": [(c.ref, c.full_name or c.ref) for c in record.children],
        "outcome_options": [(item.code, item.label(language), item.description(language) or "")
                            for item in pack.list("enquiry_outcomes")],
        **_seen_options(language),
    }, status=status)


def _not_seen(record: selectors.EnquiryRecord) -> list[tuple[str, str]]:
    """The children the reader may open who were not seen: each needs a reason to conclude."""
    seen = {row.child_id for row in record.seen}
    return [(c.ref, c.full_name or c.ref) for c in record.children if c.pk not in seen]


@require_http_methods(["GET"])
def enquiry(request: HttpRequest, pk: int) -> HttpResponse:
    return enquiry_page(request, pk)


def _back(pk: int, anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('web:enquiry', args=[pk])}#{anchor}")


@require_POST
def child_seen(request: HttpRequest, pk: int) -> HttpResponse:
    """EQ2, VC1: record that a child was seen, with their views."""
    user = user_of(request)
    form = ChildSeenForm(request.POST, prefix="seen")
    if form.is_valid():
        moment = form.moment()
        assert moment is not None  # the form's clean() requires it
        try:
            services.record_child_seen(
                user, enquiry_id=pk, child=form.cleaned_data["child"], seen_at=moment,
                seen_alone=form.cleaned_data["seen_alone"] == "yes",
                views=form.cleaned_data["views"],
                voice_method=form.cleaned_data["voice_method"].strip(),
                language=form.cleaned_data["language"].strip(),
            )
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, _("The child is recorded as seen, with their views."))
            return _back(pk, "children")
    _must_act(user, pk)
    return enquiry_page(request, pk, given={"seen": form}, status=400)


def _must_act(user: User, pk: int) -> None:
    """A form coming back with its problems is shown only to someone who may use it."""
    if not selectors.may_act(user, selectors.enquiry_for(user, pk)):
        raise Forbidden("enquiry:write")


@require_POST
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    """EQ2, SM7: conclude the enquiries; the review strategy meeting is convened."""
    user = user_of(request)
    record = selectors.enquiry_record(user, pk, audit=False)
    if not record.may_conclude:
        raise Forbidden("enquiry:conclude")
    not_seen = _not_seen(record)
    form = ConcludeForm(request.POST, prefix="conclude", not_seen=not_seen)
    if form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            services.conclude_enquiry(
                user, enquiry_id=pk, outcome=form.cleaned_data["outcome"].strip(),
                analysis=form.cleaned_data["analysis"],
                child_not_seen_reason=form.reasons(),
                request_conference=bool(form.cleaned_data["request_conference"]),
                version=int(version) if version is not None else None,
            )
        except Refused as refused:
            errors = dict(refused.errors)
            said = errors.pop("child_not_seen_reason", None)
            if said:
                blank = [ref for ref, reason in form.reasons().items() if not reason.strip()]
                field = f"reason_{blank[0]}" if blank else None
                for message in said:
                    form.add_error(field, message)
            if errors:
                _refuse(form, Refused(errors))
        except Conflict as conflict:
            # What was typed is kept, and applies to the enquiries as they are now if sent again.
            data = request.POST.copy()
            data["conclude-version"] = str(conflict.current_version)
            form = ConcludeForm(data, prefix="conclude", not_seen=not_seen)
            form.is_valid()
            form.add_error(None, _("Someone else changed these enquiries while you were "
                                   "writing. What you typed is kept below: check the enquiries "
                                   "as they are now, then conclude them again."))
        else:
            messages.success(request, _(
                "The enquiries are concluded. A strategy meeting to review the findings is "
                "convened."))
            return _back(pk, "outcome")
    return enquiry_page(request, pk, given={"conclude": form}, status=400)
