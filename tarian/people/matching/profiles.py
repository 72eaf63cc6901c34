"""What the matcher knows of a person: every name they have gone by, date of birth, NHS number
and every postcode they have lived at, read for many people at once (three queries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tarian.core.text import fold_postcode
from tarian.people.matching.names import family_forms, given_forms, whole_surnames
from tarian.people.models import Person, PersonName, Residence


@dataclass
class Profile:
    person_id: int
    ref: str = ""
    given: set[str] = field(default_factory=set)  # folded forms, first and other names
    middle: set[str] = field(default_factory=set)  # forms only from middle names
    family: set[str] = field(default_factory=set)  # folded forms and parts, previous too
    family_full: set[str] = field(default_factory=set)  # whole surnames only, previous too
    date_of_birth: dt.date | None = None
    nhs_number: str = ""
    postcodes: set[str] = field(default_factory=set)  # current addresses
    past_postcodes: set[str] = field(default_factory=set)
    is_restricted: bool = False
    merged: bool = False
    first_given: str = ""  # for reasons: the name as recorded
    first_family: str = ""
    _areas: tuple[frozenset[str], frozenset[str]] | None = None

    def areas(self) -> tuple[frozenset[str], frozenset[str]]:
        """Postcode sectors and districts of every address (``LL777``, ``LL77``)."""
        if self._areas is None:
            every = self.postcodes | self.past_postcodes
            self._areas = (
                frozenset(p[:-2] if len(p) >= 5 else p for p in every),
                frozenset(p[:-3] if len(p) >= 5 else p for p in every),
            )
        return self._areas


def load_profiles(person_ids: Sequence[int] | Iterable[int]) -> dict[int, Profile]:
    ids = list(person_ids)
    if not ids:
        return {}
    profiles: dict[int, Profile] = {}
    rows = Person.objects.filter(pk__in=ids).values_list(
        "pk", "ref", "given_name", "family_name", "known_as", "other_names", "date_of_birth",
        "expected_date", "nhs_number", "is_restricted", "merged_into_id", "given_name_folded",
        "family_name_folded",
    )
    for (
        pk, ref, given, family, known_as, others, born, expected, nhs, restricted, merged,
        given_folded, family_folded,
    ) in rows:
        first = given_forms([given_folded], folded=True)
        if known_as:
            first |= given_forms([known_as])
        middle = given_forms(others) - first if others else set()
        profiles[pk] = Profile(
            person_id=pk,
            ref=ref,
            given=first | middle,
            middle=middle,
            family=family_forms([family_folded], folded=True),
            family_full=whole_surnames([family_folded], folded=True),
            date_of_birth=born or expected,
            nhs_number=nhs,
            is_restricted=restricted,
            merged=merged is not None,
            first_given=given,
            first_family=family,
        )
    names = PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id", "given_name_folded", "family_name_folded"
    )
    for pk, given, family in names:
        forms = given_forms([given], folded=True)
        profiles[pk].given |= forms
        profiles[pk].middle -= forms
        profiles[pk].family |= family_forms([family], folded=True)
        profiles[pk].family_full |= whole_surnames([family], folded=True)
    homes = Residence.objects.filter(person_id__in=ids).values_list(
        "person_id", "address__postcode", "end_date"
    )
    for pk, postcode, ended in homes:
        if postcode:
            target = profiles[pk].past_postcodes if ended else profiles[pk].postcodes
            target.add(fold_postcode(postcode))
    for profile in profiles.values():
        profile.past_postcodes -= profile.postcodes
    return profiles
