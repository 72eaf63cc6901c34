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
from tarian.drafts import services as drafts
from tarian.errors import Conflict, NotFound, Refused, Restricted
from tarian.people import selectors, services
from tarian.people.models import Person
from tarian.web.draft_views import PERSON_EDIT
from tarian.web.person_forms import FIELD_FOR_ERROR, NewPersonForm, PersonForm, initial_for


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# The draft of this form about a person is kept under the person's Tarian ID.
DRAFT_FORM = PERSON_EDIT


def _editable(user: User, ref: str, *, shown_as: str = "") -> Person:
    """The person, if the user may change them; ``shown_as`` names the form about to show the
    record, and audits that (IS4)."""
    try:
        if shown_as:
            return selectors.person_for_form(user, ref, form=shown_as)
        return selectors.person_for(user, ref, Action.WRITE)
    except (NotFound, Restricted) as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def edit_person(request: HttpRequest, ref: str) -> HttpResponse:
    user = _user(request)
    person = _editable(user, ref, shown_as="edit" if request.method == "GET" else "")
    if request.method == "GET":
        draft = drafts.load_draft(user, form=DRAFT_FORM, subject=ref)
        initial = initial_for(person)
        restored_at = None
        if draft is not None:
            # The draft keeps the version it was begun from, so a change saved by someone else
            # since then is shown as a conflict, never overwritten by the restored draft.
            initial.update({k: v[0] if len(v) == 1 else v for k, v in draft.data.items()})
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
        "web/person_edit.html",
        {"person": person, "form": form, "tab": "record", **extra},
    )


def _conflict(request: HttpRequest, ref: str, form: PersonForm) -> HttpResponse:
    """Someone else saved first: show their version beside what this user typed."""
    user = _user(request)
    current = _editable(user, ref, shown_as="conflict")  # the record as saved now is shown
    # Keep what they typed as their draft, now based on the version they have just been shown,
    # so that reviewing and saving it again applies on top of the other person's change.
    typed = drafts.form_data(request.POST)
    typed["version"] = [str(current.version)]
    drafts.save_draft(user, form=DRAFT_FORM, subject=ref, data=typed)
    mine = form.changes()
    theirs = services.snapshot(current)
    rows = []
    for name, field in form.fields.items():
        if name in ("version", "reason", "dob_day", "dob_month", "dob_year"):
            continue
        rows.append((field.label, theirs.get(name), mine.get(name)))
    rows.append(
        (_("Date of birth"), theirs.get("date_of_birth"), mine.get("date_of_birth"))
    )
    changed = [row for row in rows if (row[1] or "") != (row[2] or "")]
    return render(
        request,
        "web/person_conflict.html",
        {"person": current, "rows": changed, "tab": "record"},
        status=409,
    )


@require_POST
def autosave_person(request: HttpRequest, ref: str) -> HttpResponse:
    """htmx: keep what the user has typed so far; answers with the 'saved' status line."""
    user = _user(request)
    _editable(user, ref)
    draft = drafts.save_draft(
        user, form=DRAFT_FORM, subject=ref, data=drafts.form_data(request.POST)
    )
    return render(
        request, "web/_draft_status.html", {"saved_at": timezone.localtime(draft.saved_at)}
    )


@require_POST
def discard_person_draft(request: HttpRequest, ref: str) -> HttpResponse:
    user = _user(request)
    _editable(user, ref)
    drafts.discard_draft(user, form=DRAFT_FORM, subject=ref)
    return HttpResponseRedirect(reverse("web:edit_person", args=[ref]))


@require_http_methods(["GET", "POST"])
def new_person(request: HttpRequest) -> HttpResponse:
    """Record a person not yet on Tarian; then back to the referral being made, if any."""
    user = _user(request)
    if not can(user, RecordKind.PERSON, Action.WRITE):
        raise Http404
    for_referral = request.GET.get("for") == "referral" or request.POST.get("for") == "referral"
    # The referral draft to go back to (issue 18): checked by the referral form itself.
    about = (request.POST.get("about") or request.GET.get("about") or "")[:16]
    form = NewPersonForm(request.POST if request.method == "POST" else None)
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
        "web/person_new.html",
        {"form": form, "for_referral": for_referral, "about": about},
    )
