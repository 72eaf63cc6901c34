"""The demonstration shows a duplicate record to review and merge (IS3, FD6)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tarian.people.demo import misspelt
from tarian.people.models import DuplicateCandidate, Person

pytestmark = pytest.mark.django_db


def test_misspelt_swaps_two_middle_letters() -> None:
    assert misspelt("Prydderch") == "Prydedrch"
    assert misspelt("Li") == "Lii"


def test_is3_demo_lists_the_planted_duplicate_for_review(settings: Any) -> None:
    settings.DEBUG = True
    out = StringIO()
    call_command("demo", "--children", "1500", "--no-serve", stdout=out)
    planted = Person.objects.get(created_by__username="health.visitor")
    pair = DuplicateCandidate.objects.filter(person_b=planted).first() or (
        DuplicateCandidate.objects.filter(person_a=planted).first()
    )
    assert pair is not None, out.getvalue()
    assert "possible duplicate records are waiting for review" in out.getvalue()
    call_command("demo", "--children", "1500", "--no-serve", stdout=StringIO())
    assert Person.objects.filter(created_by__username="health.visitor").count() == 1
