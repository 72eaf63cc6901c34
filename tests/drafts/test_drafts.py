"""Drafts are kept by form and subject, listed, and discarded only by their author (#18 item 9).

One draft per user for every referral let an unsent referral about one child (its Tarian ID
and concern) fill in a new referral opened from another child's record.
"""

from __future__ import annotations

import pytest

from tarian.agencies.models import User
from tarian.drafts import services as drafts
from tarian.drafts.models import Draft
from tarian.errors import NotFound

pytestmark = pytest.mark.django_db
A, B = "T7K3M9Q2X", "T4H8N2P6R"


def _typed(children: str, concern: str) -> dict[str, list[str]]:
    return {"children": [children], "concern": [concern]}


def test_a_draft_is_kept_by_form_and_subject(school_dsl: User) -> None:
    drafts.save_draft(school_dsl, form="referral", subject=A, data=_typed(A, "About A"))
    drafts.save_draft(school_dsl, form="referral", subject="", data=_typed("", "Nobody yet"))
    drafts.save_draft(school_dsl, form="person-edit", subject=A, data={"known_as": ["Gwen"]})
    about_a = drafts.load_draft(school_dsl, form="referral", subject=A)
    assert about_a is not None and about_a.data == _typed(A, "About A")
    assert drafts.load_draft(school_dsl, form="referral", subject=B) is None
    unnamed = drafts.load_draft(school_dsl, form="referral", subject="")
    assert unnamed is not None and unnamed.data["concern"] == ["Nobody yet"]
    drafts.save_draft(school_dsl, form="referral", subject=A, data=_typed(A, "About A, more"))
    assert Draft.objects.filter(user=school_dsl).count() == 3


def test_drafts_are_listed_latest_first_and_only_the_authors(
    school_dsl: User, other_school_dsl: User
) -> None:
    first = drafts.save_draft(school_dsl, form="referral", subject=A, data={})
    second = drafts.save_draft(school_dsl, form="person-edit", subject=B, data={})
    drafts.save_draft(other_school_dsl, form="referral", subject=A, data={})
    assert drafts.drafts_of(school_dsl) == [second, first]
    assert drafts.drafts_of(school_dsl, forms=("referral",)) == [first]


def test_a_draft_is_discarded_by_its_author_only(school_dsl: User, other_school_dsl: User) -> None:
    mine = drafts.save_draft(school_dsl, form="referral", subject=A, data={})
    with pytest.raises(NotFound):
        drafts.discard_draft_by_id(other_school_dsl, mine.pk)
    assert Draft.objects.filter(pk=mine.pk).exists()
    drafts.discard_draft_by_id(school_dsl, mine.pk)
    assert not Draft.objects.filter(pk=mine.pk).exists()
    with pytest.raises(NotFound):
        drafts.discard_draft_by_id(school_dsl, mine.pk)
