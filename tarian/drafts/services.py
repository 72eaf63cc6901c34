"""Saving, restoring, listing and discarding drafts. Only the author ever reads their own draft.

A draft is kept by the form and what it is about (issue 18): a referral about one child is
never restored into a referral about another, and every draft can be found again, resumed or
discarded (``drafts_of``, ``discard_draft_by_id``).
"""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from tarian.agencies.models import User
from tarian.drafts.models import Draft
from tarian.errors import NotFound

# Never keep these in a draft: they are not the user's words, or must not linger. (The record
# version IS kept: a restored draft must still conflict with changes saved since it began.)
NOT_SAVED = frozenset({"csrfmiddlewaretoken", "password"})
MAX_FIELD_CHARACTERS = 20_000


def form_data(post: QueryDict) -> dict[str, list[str]]:
    """The typed values of a submitted form, as a JSON-safe dict, without secrets or tokens."""
    return {
        name: [value[:MAX_FIELD_CHARACTERS] for value in post.getlist(name)]
        for name in post
        if name not in NOT_SAVED
    }


def save_draft(user: User, *, form: str, subject: str, data: dict[str, list[str]]) -> Draft:
    draft, _ = Draft.objects.update_or_create(
        user=user, form=form, subject=subject, defaults={"data": data, "saved_at": timezone.now()}
    )
    return draft


def load_draft(user: User, *, form: str, subject: str) -> Draft | None:
    return Draft.objects.filter(user=user, form=form, subject=subject).first()


def discard_draft(user: User, *, form: str, subject: str) -> None:
    Draft.objects.filter(user=user, form=form, subject=subject).delete()


def drafts_of(user: User, *, forms: tuple[str, ...] = ()) -> list[Draft]:
    """The user's own drafts (of these forms, if named), the latest first."""
    drafts = Draft.objects.filter(user=user)
    if forms:
        drafts = drafts.filter(form__in=forms)
    return list(drafts.order_by("-saved_at", "-pk"))


def discard_draft_by_id(user: User, draft_id: int) -> Draft:
    """Discard one of the user's own drafts; someone else's is ``NotFound``, as is one gone."""
    draft = Draft.objects.filter(user=user, pk=draft_id).first()
    if draft is None:
        raise NotFound(str(draft_id))
    draft.delete()
    return draft


def as_querydict(draft: Draft) -> QueryDict:
    result = QueryDict(mutable=True)
    for name, values in draft.data.items():
        result.setlist(name, [str(v) for v in values])
    return result
