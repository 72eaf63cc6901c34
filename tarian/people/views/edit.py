"""Correcting a person's details: autosaved drafts, versioned saves and visible conflicts.

Nothing typed is lost: the form autosaves to a private draft while the user types (htmx), a
stale save is never applied silently (the user sees both versions and chooses), and every
saved change carries a reason (IS3).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind, User
from tarian.core.changes import is_blank
from tarian.drafts import services as drafts
from tarian.drafts.selectors import PERSON_EDIT
from tarian.errors import Conflict, NotFound, Refused, Restricted
from tarian.people import conflicts, selectors, services
from tarian.people.conflicts import Outcome
from tarian.people.forms import (
    COMPARED,
    FIELD_FOR_ERROR,
    NewPersonForm,
    PersonForm,
    form_data_for,
    initial_for,
)
from tarian.people.history import PERSON_FIELDS
from tarian.people.models import Person
from tarian.web.refusals import user_of

# The draft of this form about a person is kept under the person's Tarian ID.
DRAFT_FORM = PERSON_EDIT


def _editable(user: User, ref: str, *, shown_as: str = "") -> Person:
    """The person, if the user may change them; ``shown_as`` names the form about to show the
    record, and audits that (IS4)."""
    try:
        if shown_as:
            return selectors.person_for_form(user, ref, form=shown_as)
        return selectors.person_for(user, ref, Action.WRITE)
    except Restricted as exc:
        # A form never offers to break the glass: a restricted record the user has not opened
        # answers here like one that does not exist (it is opened from its own page).
        raise NotFound(ref) from exc


@require_http_methods(["GET", "POST"])
def edit_person(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    person = _editable(user, ref, shown_as="edit" if request.method == "GET" else "")
    if request.method == "GET":
        draft = drafts.load_draft(user, form=DRAFT_FORM, subject=ref)
        initial = initial_for(person)
        restored_at = None
        if draft is not None:
            # The draft keeps the version it was begun from, and what was read then, so a
            # change saved since is resolved as a conflict, never overwritten by the draft.
            initial.update({k: v[0] if len(v) == 1 else v for k, v in draft.data.items()})
            initial["interpreter_needed"] = bool(draft.data.get("interpreter_needed"))
            if "read" not in draft.data:
                initial["read"] = ""  # begun before forms said what they read: not known
            restored_at = draft.saved_at
        form = PersonForm(initial=initial)
        return _render_form(request, person, form, restored_at=restored_at)

    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            services.update_person(
                user, ref=ref, version=form.cleaned_data["version"], changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except Refused as refused:
            for name, errors in refused.errors.items():
                field = FIELD_FOR_ERROR.get(name, name)
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        except Conflict:
            return _conflict(request, ref, form)
        else:
            drafts.discard_draft(user, form=DRAFT_FORM, subject=ref)
            messages.success(request, _("The record was saved."))
            return HttpResponseRedirect(reverse("web:person", args=[ref]))
    selectors.audit_form(user, person, form="edit")
    return _render_form(request, person, form)


def _render_form(
    request: HttpRequest, person: Person, form: PersonForm, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "people/person_edit.html",
        {"person": person, "form": form, "tab": "record", **extra},
    )


def _conflict(request: HttpRequest, ref: str, form: PersonForm) -> HttpResponse:
    """The record was saved since this form was opened (by someone else, or by this user in
    another tab): resolve from the record as saved now, field by field (``conflicts``), keep the
    result as the user's draft and show where they differ. Nothing saved is re-applied stale."""
    user = user_of(request)
    current = _editable(user, ref, shown_as="conflict")  # the record as saved now is shown
    changes = form.changes()
    resolution = conflicts.resolve_conflict(
        user,
        person=current,
        version=form.cleaned_data["version"],
        read=conflicts.parse_read(form.cleaned_data.get("read") or "", COMPARED),
        typed={name: changes[name] for name in COMPARED},
    )
    # Reviewing starts from the record as saved now with this user's own changes on top,
    # read at the version they have just been shown.
    draft = form_data_for(resolution.merged)
    draft.update(
        version=[str(current.version)],
        read=[conflicts.values_read(current, COMPARED)],
        reason=[form.cleaned_data.get("reason", "")],
    )
    drafts.save_draft(user, form=DRAFT_FORM, subject=ref, data=draft)
    rows = [
        (
            _label(item.name),
            _shown(item.name, item.read) if item.outcome != Outcome.UNKNOWN else None,
            _shown(item.name, item.saved),
            _shown(item.name, item.typed),
            item.outcome,
        )
        for item in resolution.fields
    ]
    return render(
        request,
        "people/person_conflict.html",
        {"person": current, "resolution": resolution, "rows": rows, "tab": "record"},
        status=409,
    )


def _label(name: str) -> str:
    return str(PERSON_FIELDS[name].label)


def _shown(name: str, value: Any) -> str:
    """A value as the form and the record's history show it: a date as a date, a choice by its
    label (one formatter: ``people.history.PERSON_FIELDS``); a blank as nothing."""
    if is_blank(value):
        return ""
    return PERSON_FIELDS[name].reads(value)


@require_POST
def autosave_person(request: HttpRequest, ref: str) -> HttpResponse:
    """htmx: keep what the user has typed so far; answers with the 'saved' status line."""
    user = user_of(request)
    _editable(user, ref)
    draft = drafts.save_draft(
        user, form=DRAFT_FORM, subject=ref, data=drafts.form_data(request.POST)
    )
    return render(
        request, "drafts/_draft_status.html", {"saved_at": timezone.localtime(draft.saved_at)}
    )


@require_POST
def discard_person_draft(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    _editable(user, ref)
    drafts.discard_draft(user, form=DRAFT_FORM, subject=ref)
    return HttpResponseRedirect(reverse("web:edit_person", args=[ref]))


def _name_every_problem(form: NewPersonForm) -> None:
    """The form refused something (who is being recorded, say): the person's details are
    checked too, so that every problem is named at once, not one round at a time."""
    data = form.cleaned_data
    try:
        services.clean_person_fields({
            "kind": data.get("kind") or "child",
            "given_name": data.get("given_name", ""),
            "family_name": data.get("family_name", ""),
            "nhs_number": data.get("nhs_number", ""),
        })
    except Refused as refused:
        for name, errors in refused.errors.items():
            field = FIELD_FOR_ERROR.get(name, name)
            if field in form.fields and field not in form.errors:
                for message in errors:
                    form.add_error(field, message)


@require_http_methods(["GET", "POST"])
def new_person(request: HttpRequest) -> HttpResponse:
    """Record a person not yet on Tarian; then back to the referral being made, if any."""
    user = user_of(request)
    if not can(user, RecordKind.PERSON, Action.WRITE):
        raise Http404
    for_referral = request.GET.get("for") == "referral" or request.POST.get("for") == "referral"
    # The referral draft to go back to (issue 18): checked by the referral form itself.
    about = (request.POST.get("about") or request.GET.get("about") or "")[:16]
    form = NewPersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not form.is_valid():
        _name_every_problem(form)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(
                user, data=form.person_data(), address=form.address(),
                reason=_("Recorded by %(who)s") % {"who": user},
            )
        except Refused as refused:
            for name, errors in refused.errors.items():
                field = FIELD_FOR_ERROR.get(name, name)
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request, _("%(name)s is recorded, with Tarian ID %(ref)s.")
                % {"name": person, "ref": person.ref},
            )
            if for_referral:
                back = urlencode({"about": about, "child": person.ref})
                return HttpResponseRedirect(f"{reverse('web:new_referral')}?{back}")
            return HttpResponseRedirect(reverse("web:person", args=[person.ref]))
    return render(
        request,
        "people/person_new.html",
        {"form": form, "for_referral": for_referral, "about": about},
    )
