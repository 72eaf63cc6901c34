"""The partnership's threshold guide, kept up to date by a system administrator (FD7).

Anyone else gets "not found", as for any page their sharing rules do not reach. Every save
names its reason and the version it was begun from; when someone else saved in between, the
page says so, shows their guide and keeps what this user typed to apply on top of it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tarian.errors import Conflict, Refused
from tarian.procedures.packs import current_pack
from tarian.referrals import threshold
from tarian.referrals.threshold_forms import (
    GuideForm,
    LevelRow,
    blank_row,
    rows_from_levels,
    rows_from_post,
)
from tarian.web.refusals import user_of

ERROR_ANCHOR_FOR_GUIDE = "levels"


@require_http_methods(["GET", "POST"])
def edit_threshold_guide(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    guide = threshold.guide_for_editing(user)
    if request.method == "GET":
        return _render(
            request,
            guide,
            rows_from_levels(guide.levels),
            GuideForm(initial={"version": guide.version}),
        )

    form = GuideForm(request.POST)
    rows = rows_from_post(request.POST)
    if "add_level" in request.POST:
        # Without JavaScript, "Add another level" posts the form and comes back with an empty
        # row; nothing is saved.
        return _render(request, guide, [*rows, blank_row()], _unbound(form, guide.version))
    if not form.is_valid():
        # Only a tampered or truncated post lacks the version: start again from the guide.
        return _render(
            request,
            guide,
            rows or [blank_row()],
            _unbound(form, guide.version),
            guide_errors=[_("The page was out of date. Check the guide and save it again.")],
            status=400,
        )
    try:
        threshold.update_threshold_guide(
            user,
            levels=[row.level_data() for row in rows],
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except Refused as refused:
        guide_errors = _attach(refused, rows, form)
        return _render(
            request, guide, rows or [blank_row()], form, guide_errors=guide_errors, status=400
        )
    except Conflict:
        # Show the guide as it is now, keep what this user typed, and base it on the version
        # they have now been shown so that saving again applies it on top.
        theirs = threshold.current_guide()
        return _render(
            request,
            guide,
            rows or [blank_row()],
            _unbound(form, theirs.version),
            theirs=theirs,
            status=409,
        )
    messages.success(
        request,
        _("The threshold guide is saved. The referral and decision forms show it from now on."),
    )
    return HttpResponseRedirect(reverse("web:threshold_guide"))


def _unbound(form: GuideForm, version: int) -> GuideForm:
    """The version and reason as a fresh form, so the hidden version can be replaced."""
    reason = form.data.get("reason", "") if form.is_bound else ""
    return GuideForm(initial={"version": version, "reason": reason})


def _attach(refused: Refused, rows: list[LevelRow], form: GuideForm) -> list[str]:
    """Put each of the service's messages on the field it names; return the guide's own."""
    guide_errors: list[str] = []
    for key, problems in refused.errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "levels" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(rows):
                rows[index].errors.setdefault(parts[2], []).extend(problems)
                continue
        if key == "reason":
            for problem in problems:
                form.add_error("reason", problem)
            continue
        guide_errors.extend(problems)
    return guide_errors


def _render(
    request: HttpRequest,
    guide: threshold.Guide,
    rows: list[LevelRow],
    form: GuideForm,
    *,
    guide_errors: list[str] | None = None,
    theirs: threshold.Guide | None = None,
    status: int = 200,
) -> HttpResponse:
    language = get_language() or "en"
    items = [(index + 1, row.fields(index)) for index, row in enumerate(rows)]
    summary: list[tuple[str, str]] = []
    for message in guide_errors or []:
        summary.append((ERROR_ANCHOR_FOR_GUIDE, message))
    for _number, fields in items:
        for level_field in fields:
            summary.extend((level_field.id, message) for message in level_field.errors)
    summary.extend(("id_reason", str(message)) for message in form.errors.get("reason", []))
    shown = theirs or guide
    return render(
        request,
        "referrals/threshold_guide_edit.html",
        {
            "form": form,
            "items": items,
            "count": len(rows),
            "guide_errors": guide_errors or [],
            "summary": summary,
            "conflict": theirs is not None,
            "theirs": theirs,
            "saved": threshold.last_saved(shown),
            "is_pack_default": shown.is_pack_default,
            "pack_title": current_pack().title_in(language),
            "language": language,
        },
        status=status,
    )
