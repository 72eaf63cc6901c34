"""A duplicate record for the demonstration (synthetic only): the health visitor recorded a
child the school already knew, with the surname misspelt and no NHS number, so that the
"possible duplicates" list and a merge can be shown (IS3, FD6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from tarian.agencies.models import User
from tarian.people.matching.dedupe import DedupeSummary, find_duplicates
from tarian.people.models import Person, Residence
from tarian.people.services import create_person

if TYPE_CHECKING:
    from tarian.seed.contributions import DemoContext


def misspelt(name: str) -> str:
    """Two different neighbouring letters swapped, from the middle on (Prydderch -> Prydedrch)."""
    for i in range(len(name) // 2, len(name) - 1):
        if name[i] != name[i + 1] and name[i].isalpha() and name[i + 1].isalpha():
            return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name + name[-1]


@transaction.atomic
def create_demo_duplicates() -> DedupeSummary | None:
    """Record one school pupil again as the health visitor would have, then list duplicates."""
    recorder = User.objects.filter(username="health.visitor").first()
    school_dsl = User.objects.filter(username="school.dsl").first()
    if recorder is None or school_dsl is None or school_dsl.agency is None:
        return None
    pupil = (
        Person.objects.filter(
            kind="child", involvements__agency=school_dsl.agency, involvements__end_date=None,
            merged_into=None, date_of_birth__isnull=False,
        )
        .exclude(nhs_number="")
        .order_by("pk")
        .distinct()
        .first()
    )
    if pupil is None or Person.objects.filter(
        family_name=misspelt(pupil.family_name), date_of_birth=pupil.date_of_birth
    ).exists():
        return None
    home = (
        Residence.objects.filter(person=pupil, end_date=None).select_related("address").first()
    )
    address = (
        {"line1": home.address.line1, "town": home.address.town,
         "postcode": home.address.postcode}
        if home else None
    )
    create_person(
        recorder,
        data={
            "kind": "child",
            "given_name": pupil.given_name,
            "family_name": misspelt(pupil.family_name),
            "date_of_birth": pupil.date_of_birth.isoformat() if pupil.date_of_birth else None,
            "sex": pupil.sex,
        },
        address=address,
        reason="Seen at a health clinic; not found on Tarian at the time (demonstration)",
    )
    return find_duplicates()


def demo(context: DemoContext) -> None:
    """A duplicate record waiting for review, if the demo has none yet."""
    found = create_demo_duplicates()
    if found is not None:
        context.say(
            f"{found.found} possible duplicate records are waiting for review "
            "(sign in as team.manager: Review possible duplicates)."
        )
