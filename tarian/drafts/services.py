"""Saving, restoring and discarding drafts. Only the author ever reads their own draft."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from tarian.agencies.models import User
from tarian.drafts.models import Draft

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


def save_draft(user: User, *, key: str, data: dict[str, list[str]]) -> Draft:
    draft, _ = Draft.objects.update_or_create(
        user=user, key=key[:200], defaults={"data": data, "saved_at": timezone.now()}
    )
    return draft


def load_draft(user: User, *, key: str) -> Draft | None:
    return Draft.objects.filter(user=user, key=key[:200]).first()


def discard_draft(user: User, *, key: str) -> None:
    Draft.objects.filter(user=user, key=key[:200]).delete()


def as_querydict(draft: Draft) -> QueryDict:
    result = QueryDict(mutable=True)
    for name, values in draft.data.items():
        result.setlist(name, [str(v) for v in values])
    return result
