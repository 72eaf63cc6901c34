"""Pages for duplicate records (IS3, FD6): the review list ``tarian dedupe`` fills, one pair side
by side with "merge" and "not the same person", and a record's merges with "undo".

Thin like every view: the ``merge`` sharing rule is checked by the selectors and services in
``tarian.people.duplicates`` and ``tarian.people.merging``; anyone without it gets a plain 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind, User
from tarian.errors import Forbidden, NotFound, Refused
from tarian.people import duplicates, merging
from tarian.people.duplicates import Pair
from tarian.people.models import DuplicateStatus, Merge, Person
from tarian.people.selectors import people_for
from tarian.web.forms import add_refusal

PAGE_SIZE = 50
MERGE_ACTION = "merge"
NOT_SAME_ACTION = "not_same"


class MergeForm(forms.Form):
    keep = forms.ChoiceField(
        label=gettext_lazy("Which record do you want to keep?"),
        help_text=gettext_lazy(
            "Usually the record with more history. Everything on the other record moves to the "
            "one you keep; the other record stays, hidden from searches, and leads to the one "
            "you keep. You can undo a merge."
        ),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the record to keep")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Why are these the same person?"),
        help_text=gettext_lazy(
            "For example: the same NHS number and date of birth, and the school confirmed the "
            "child's previous surname."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say why these records are the same person")},
    )

    def __init__(self, *args: Any, pair: Pair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (side.person.ref, _("Keep %(name)s (%(ref)s)") % {
                "name": side.person.full_name or _("Unnamed person"), "ref": side.person.ref})
            for side in (pair.a, pair.b)
        ]


class NotSameForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What tells them apart? (optional)"),
        help_text=gettext_lazy("Whoever finds these records next will see your note."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class UndoForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you undoing this merge?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say why this merge is being undone")},
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("status", DuplicateStatus.OPEN)
    try:
        pairs = duplicates.duplicate_review_list(user, status)
    except (Forbidden, Refused) as exc:
        raise Http404 from exc
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    duplicates.note_listed(user, list(page))
    return render(
        request,
        "web/duplicates.html",
        {
            "page": page,
            "status": status,
            "statuses": DuplicateStatus.choices,
            "hidden": duplicates.hidden_pair_count(user, status),
        },
    )


@require_http_methods(["GET", "POST"])
def duplicate(request: HttpRequest, candidate_id: int) -> HttpResponse:
    user = _user(request)
    try:
        pair = duplicates.duplicate_pair(user, candidate_id)
    except (Forbidden, NotFound) as exc:
        raise Http404 from exc
    action = request.POST.get("action", "") if request.method == "POST" else ""
    merge_form = MergeForm(request.POST if action == MERGE_ACTION else None, pair=pair)
    not_same_form = NotSameForm(request.POST if action == NOT_SAME_ACTION else None)
    if request.method == "GET":
        return _pair_page(request, pair, merge_form, not_same_form)
    if not can(user, RecordKind.MERGE, Action.WRITE) or action not in (
        MERGE_ACTION, NOT_SAME_ACTION
    ):
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
    except (Forbidden, NotFound) as exc:
        raise Http404 from exc
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
    user = _user(request)
    may_decide = (
        not pair.is_decided
        and can(user, RecordKind.MERGE, Action.WRITE)
        and merge_form is not None
    )
    return render(
        request,
        "web/duplicate.html",
        {
            "pair": pair,
            "sides": [pair.a, pair.b],
            "may_merge": may_decide and not pair.merged_elsewhere,
            "may_mark": may_decide,
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


def _undoable(merge: Merge) -> bool:
    return (
        merge.undone_at is None
        and merge.kept.merged_into_id is None
        and merge.merged.merged_into_id == merge.kept_id
    )


@require_http_methods(["GET", "POST"])
def person_merges(request: HttpRequest, ref: str) -> HttpResponse:
    user = _user(request)
    try:
        person, merges = duplicates.merges_of(user, ref)
    except (Forbidden, NotFound) as exc:
        raise Http404 from exc
    may_undo = can(user, RecordKind.MERGE, Action.WRITE)
    failed: tuple[int, UndoForm] | None = None
    if request.method == "POST":
        merge_id = request.POST.get("merge", "")
        if not may_undo or not merge_id.isdigit():
            raise Http404
        form = UndoForm(request.POST, prefix=f"undo-{merge_id}")
        if form.is_valid():
            try:
                merge = merging.undo_merge(
                    user, merge_id=int(merge_id), reason=form.cleaned_data["reason"]
                )
            except Refused as refused:
                add_refusal(form, refused)
            except (Forbidden, NotFound) as exc:
                raise Http404 from exc
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
        person, merges = duplicates.merges_of(user, ref)
    rows = [
        {
            "merge": merge,
            "undoable": _undoable(merge),
            "form": failed[1] if failed and failed[0] == merge.pk else (
                UndoForm(prefix=f"undo-{merge.pk}") if may_undo and _undoable(merge) else None
            ),
            "moved": _moved_summary(merge),
            "restriction": restriction_inherited_message(merge)
            if merge.restriction_inherited else "",
            "left": _moved_summary(merge, left=True),
        }
        for merge in merges
    ]
    return render(
        request,
        "web/merges.html",
        {
            "person": person,
            "rows": rows,
            "failed_form": failed[1] if failed else None,
            "may_see_person": _may_see(user, person),
            "tab": "merges",
        },
        status=400 if failed else 200,
    )


def _may_see(user: User, person: Person) -> bool:
    return people_for(user).filter(pk=person.pk).exists()


# What a merge moved, by kind of row, in words (the keys are ``Merge.moved``'s).
MOVED_KINDS: dict[str, str] = {
    "people.involvement.person": "involvement",
    "people.personname.person": "name",
    "people.residence.person": "address",
    "people.householdmember.person": "household",
    "people.relationship.person": "relationship",
    "people.relationship.relative": "relationship",
    "people.restrictedaccess.person": "named_access",
    "people.breakglass.person": "break_glass",
    "documents.document.person": "document",
    "m2m:referrals.referral.children": "referral",
    merging.ALIASES: "alias",
    merging.NAMED: "named_access",
}


def _in_words(kind: str, count: int) -> str:
    words = {
        "involvement": ngettext("%(count)d agency involvement", "%(count)d agency involvements",
                                count),
        "name": ngettext("%(count)d other name", "%(count)d other names", count),
        "address": ngettext("%(count)d address", "%(count)d addresses", count),
        "household": ngettext("%(count)d household membership", "%(count)d household memberships",
                              count),
        "relationship": ngettext("%(count)d relationship", "%(count)d relationships", count),
        "named_access": ngettext("%(count)d person named on the record",
                                 "%(count)d people named on the record", count),
        "break_glass": ngettext("%(count)d break-glass opening", "%(count)d break-glass openings",
                                count),
        "document": ngettext("%(count)d document", "%(count)d documents", count),
        "referral": ngettext("%(count)d referral", "%(count)d referrals", count),
        "alias": ngettext("%(count)d name added as an alias", "%(count)d names added as aliases",
                          count),
    }
    return words.get(kind, f"%(count)d {kind}") % {"count": count}


def _moved_summary(merge: Merge, *, left: bool = False) -> list[str]:
    """What the merge moved ("3 agency involvements"), or with ``left`` what stayed behind
    because the kept record already had it or it linked the two records."""
    totals: dict[str, int] = {}
    for key, ids in merge.moved.items():
        if key == merging.UNDO_LEFT or not isinstance(ids, list):
            continue
        if key.startswith(merging.LEFT) != left:
            continue
        link = key.removeprefix(merging.LEFT)
        kind = MOVED_KINDS.get(link, link)
        totals[kind] = totals.get(kind, 0) + len(ids)
    return [_in_words(kind, count) for kind, count in sorted(totals.items())]
