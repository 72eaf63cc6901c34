"""Pages for duplicate records (IS3, FD6): the review list ``tarian dedupe`` fills, one pair side
by side with "merge" and "not the same person", and a record's merges with "undo".

Thin like every view: the ``merge`` sharing rule is checked by the selectors and services in
``tarian.people.duplicates`` and ``tarian.people.merging``, and the pages read what the reader
may do from ``Pair`` and ``merge_reads``; anyone without the rule gets a plain 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tarian.errors import Refused
from tarian.people import duplicates, merging
from tarian.people.duplicates import Pair
from tarian.people.forms import MergeForm, NotSameForm, UndoForm
from tarian.people.merge_reads import record_merges
from tarian.people.models import DuplicateStatus, Merge
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of

PAGE_SIZE = 50
MERGE_ACTION = "merge"
NOT_SAME_ACTION = "not_same"


@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    status = request.GET.get("status", DuplicateStatus.OPEN)
    try:
        pairs = duplicates.duplicate_review_list(user, status)
    except Refused as exc:  # a status that is not one: no such list
        raise Http404 from exc
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    duplicates.note_listed(user, list(page))
    return render(
        request,
        "people/duplicates.html",
        {
            "page": page,
            "status": status,
            "statuses": DuplicateStatus.choices,
            "hidden": duplicates.hidden_pair_count(user, status),
        },
    )


@require_http_methods(["GET", "POST"])
def duplicate(request: HttpRequest, candidate_id: int) -> HttpResponse:
    user = user_of(request)
    pair = duplicates.duplicate_pair(user, candidate_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    merge_form = MergeForm(request.POST if action == MERGE_ACTION else None, pair=pair)
    not_same_form = NotSameForm(request.POST if action == NOT_SAME_ACTION else None)
    if request.method == "GET":
        return _pair_page(request, pair, merge_form, not_same_form)
    if not pair.may_decide or action not in (MERGE_ACTION, NOT_SAME_ACTION):
        raise Http404
    try:
        if action == MERGE_ACTION and merge_form.is_valid():
            keep = merge_form.cleaned_data["keep"]
            other = pair.b.person if keep == pair.a.person.ref else pair.a.person
            merge = merging.merge_people(
                user, keep_ref=keep, merge_ref=other.ref,
                reason=merge_form.cleaned_data["reason"], candidate_id=pair.candidate.pk,
            )
            messages.success(
                request,
                _("%(merged)s was merged into %(kept)s. You can undo this below.")
                % {"merged": merge.merged.ref, "kept": merge.kept.ref},
            )
            if merge.restriction_inherited:
                messages.warning(request, restriction_inherited_message(merge))
            return HttpResponseRedirect(reverse("web:person_merges", args=[merge.kept.ref]))
        if action == NOT_SAME_ACTION and not_same_form.is_valid():
            merging.mark_not_same(
                user, candidate_id=pair.candidate.pk, note=not_same_form.cleaned_data["note"]
            )
            messages.success(
                request,
                _("Recorded: %(a)s and %(b)s are not the same person. They will not be "
                  "suggested again.") % {"a": pair.a.person.ref, "b": pair.b.person.ref},
            )
            return HttpResponseRedirect(reverse("web:duplicates"))
    except Refused as refused:
        fresh = duplicates.duplicate_pair(user, candidate_id)
        if fresh.is_decided:
            # Someone decided the pair while this page was open: say so instead of a form.
            stale = [m for ms in refused.errors.values() for m in ms]
            return _pair_page(request, fresh, None, None, stale=stale, status=409)
        add_refusal(merge_form if action == MERGE_ACTION else not_same_form, refused)
    return _pair_page(request, pair, merge_form, not_same_form, status=400)


def _pair_page(
    request: HttpRequest,
    pair: Pair,
    merge_form: MergeForm | None,
    not_same_form: NotSameForm | None,
    *,
    stale: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    with_forms = merge_form is not None
    return render(
        request,
        "people/duplicate.html",
        {
            "pair": pair,
            "sides": [pair.a, pair.b],
            "may_merge": pair.may_merge and with_forms,
            "may_mark": pair.may_mark and with_forms,
            "merge_form": merge_form,
            "not_same_form": not_same_form,
            "stale": stale or [],
            "merge_action": MERGE_ACTION,
            "not_same_action": NOT_SAME_ACTION,
        },
        status=status,
    )


def restriction_inherited_message(merge: Merge) -> str:
    return _(
        "%(kept)s is now a restricted record, because %(merged)s was: only the people named on "
        "%(merged)s, and anyone who opens it with a reason, can see it."
    ) % {"merged": merge.merged.ref, "kept": merge.kept.ref}


def restriction_undone_message(merge: Merge) -> str:
    if merge.kept.is_restricted:
        return _(
            "%(kept)s stays restricted: its restriction was changed after the merge."
        ) % {"kept": merge.kept.ref}
    return _("%(kept)s is no longer restricted: the restriction came with the merge.") % {
        "kept": merge.kept.ref
    }


@require_http_methods(["GET", "POST"])
def person_merges(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    shown = record_merges(user, ref)
    failed: tuple[int, UndoForm] | None = None
    if request.method == "POST":
        merge_id = request.POST.get("merge", "")
        if not shown.may_undo or not merge_id.isdigit():
            raise Http404
        form = UndoForm(request.POST, prefix=f"undo-{merge_id}")
        if form.is_valid():
            try:
                merge = merging.undo_merge(
                    user, merge_id=int(merge_id), reason=form.cleaned_data["reason"]
                )
            except Refused as refused:
                add_refusal(form, refused)
            else:
                messages.success(
                    request,
                    _("The merge was undone: %(merged)s is a separate record again.")
                    % {"merged": merge.merged.ref},
                )
                if merge.restriction_inherited:
                    messages.warning(request, restriction_undone_message(merge))
                return HttpResponseRedirect(reverse("web:person_merges", args=[ref]))
        failed = (int(merge_id), form)
        shown = record_merges(user, ref)
    rows = [
        {
            "merge": item.merge,
            "undoable": item.undo_problem is None,
            "form": failed[1] if failed and failed[0] == item.merge.pk else (
                UndoForm(prefix=f"undo-{item.merge.pk}") if item.may_undo else None
            ),
            "moved": item.moved,
            "restriction": restriction_inherited_message(item.merge)
            if item.merge.restriction_inherited else "",
            "left": item.left,
        }
        for item in shown.merges
    ]
    return render(
        request,
        "people/merges.html",
        {
            "person": shown.person,
            "rows": rows,
            "failed_form": failed[1] if failed else None,
            "may_see_person": shown.may_see_person,
            "tab": "merges",
        },
        status=400 if failed else 200,
    )
