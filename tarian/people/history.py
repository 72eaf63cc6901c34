"""A person's record history in words a practitioner reads (IS3; #20 item 10).

Each version of the person's details, their involvements and their restriction becomes an entry:
who changed it, for which agency, when (local time, with the time of day), why, and each field
that changed by its label on the edit form, from what to what ("First language: was English,
now Welsh"); a record's first version says what was recorded. The comparing and the words are
``tarian.core.changes``; this module says which fields each kind of record shows and how each
reads. Which versions a user may read is ``selectors.record_history``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from tarian.agencies.models import Agency, RecordKind, User
from tarian.audit.models import RecordVersion
from tarian.core import changes
from tarian.core.changes import FieldChange, Shown
from tarian.people import vocabulary
from tarian.people.forms import PersonForm
from tarian.people.models import InvolvementRole, PersonKind, Sex, WelshActiveOffer
from tarian.people.services import INVOLVEMENT_RECORDED, NEW_RECORD

# Reasons Tarian writes itself: stored in English, read in the reader's language.
WRITTEN_BY_TARIAN = frozenset({NEW_RECORD, INVOLVEMENT_RECORDED})


def _language() -> str:
    return get_language() or "en"


def _listed(list_name: str) -> changes.Reads:
    return changes.choice(lambda: vocabulary.choices(list_name, _language()))


def _form_label(name: str) -> Any:
    return PersonForm.base_fields[name].label


def _address(value: Any) -> str:
    if not isinstance(value, dict):
        return changes.text(value)
    parts = (value.get(key) for key in ("line1", "line2", "town", "postcode"))
    return ", ".join(changes.text(part) for part in parts if part)


# The person's details in the edit form's order, with its labels (IS3, VC2).
PERSON_FIELDS: dict[str, Shown] = {
    "kind": Shown(_("Child, unborn baby or adult"), changes.choice(lambda: PersonKind.choices)),
    "given_name": Shown(_form_label("given_name")),
    "other_names": Shown(_("Middle names"), changes.each(changes.text)),
    "family_name": Shown(_form_label("family_name")),
    "known_as": Shown(_form_label("known_as")),
    "date_of_birth": Shown(_("Date of birth"), changes.date),
    "expected_date": Shown(_("Expected date of birth"), changes.date),
    "sex": Shown(_form_label("sex"), changes.choice(lambda: Sex.choices)),
    "ethnicity": Shown(_form_label("ethnicity"), _listed("ethnicity")),
    "first_language": Shown(_form_label("first_language"), _listed("language")),
    "welsh_active_offer": Shown(
        _form_label("welsh_active_offer"), changes.choice(lambda: WelshActiveOffer.choices)
    ),
    "interpreter_needed": Shown(_form_label("interpreter_needed"), changes.yes_no),
    "nhs_number": Shown(_form_label("nhs_number")),
    "upn": Shown(_form_label("upn")),
    # Kept only with the version that recorded them: the address a record was started with,
    # and which record a merge (or its undoing) joined or parted.
    "address": Shown(_("Address"), _address, noted=True),
    "merged_into": Shown(_("Merged into the record"), noted=True),
    "merged_from": Shown(_("Record merged into this one"), noted=True),
    "separated": Shown(_("Record separated from this one"), noted=True),
}


@dataclass(frozen=True)
class Names:
    """The agencies and people a page of versions names by code, read once for the page."""

    agencies: Mapping[str, Agency]
    users: Mapping[str, str]

    def agency(self, slug: Any) -> str:
        found = self.agencies.get(str(slug))
        return found.display_name(_language()) if found else changes.text(slug)

    def user(self, username: Any) -> str:
        return self.users.get(str(username), changes.text(username))


def involvement_fields(names: Names) -> dict[str, Shown]:
    return {
        "agency": Shown(_("Agency"), names.agency),
        "team": Shown(_("Team")),
        "role": Shown(_("Role"), changes.choice(lambda: InvolvementRole.choices)),
        "professional": Shown(_("Professional"), names.user),
        "professional_name": Shown(_("Professional"), changes.text),
        "start_date": Shown(_("Started"), changes.date),
        "end_date": Shown(_("Ended"), changes.date),
        "end_reason": Shown(_("Why it ended"), changes.text),
    }


def restriction_fields(names: Names) -> dict[str, Shown]:
    return {
        "restricted": Shown(_("Restricted"), changes.yes_no),
        "named": Shown(_("Named on the record"), changes.each(names.user)),
        "inherited_from": Shown(_("Restriction kept from the merged record"), noted=True),
    }


# What a record was before its first version, where that is known: a record is not restricted
# until someone restricts it (its first restriction version has a version number of the
# person's record, never 1).
BEFORE_FIRST: dict[str, dict[str, Any]] = {
    RecordKind.RESTRICTION: {"restricted": False, "named": []},
}


@dataclass(frozen=True)
class HistoryEntry:
    """One version as the history page shows it."""

    kind: str
    version: int
    changed_by: str
    agency: str
    changed_at: dt.datetime
    when: str  # "4 March 2026 at 14:05", local time
    reason: str
    is_first: bool  # the record's first version: what was recorded
    # A later version whose version before is not in this history (a record loaded in bulk, or
    # an involvement moved from a merged record): the record as saved, what changed unknown.
    earlier_unknown: bool
    shows_fields: bool  # a kind of record whose fields this page reads
    changes: list[FieldChange]
    as_it_stood: list[FieldChange]


def history_entries(versions: Iterable[RecordVersion]) -> list[HistoryEntry]:
    """Entries for a page of versions from ``selectors.record_history`` (each carrying
    ``previous_data``, the version before it of the same record, or None). Names the versions
    give by code are read in at most two statements for the whole page, never per entry."""
    versions = list(versions)
    names = _names(versions)
    fields_for: dict[str, dict[str, Shown]] = {
        RecordKind.PERSON: PERSON_FIELDS,
        RecordKind.INVOLVEMENT: involvement_fields(names),
        RecordKind.RESTRICTION: restriction_fields(names),
    }
    entries = []
    for version in versions:
        fields = fields_for.get(version.record_kind, {})
        data = version.data if isinstance(version.data, dict) else {}
        previous = getattr(version, "previous_data", None)
        if not isinstance(previous, dict):
            previous = BEFORE_FIRST.get(version.record_kind)
        entries.append(
            HistoryEntry(
                kind=version.record_kind,
                version=version.version,
                changed_by=version.changed_by_display,
                agency=version.agency_name,
                changed_at=version.changed_at,
                when=changes.moment(version.changed_at),
                reason=gettext(version.reason)
                if version.reason in WRITTEN_BY_TARIAN
                else version.reason,
                is_first=previous is None and version.version == 1,
                earlier_unknown=previous is None and version.version > 1,
                shows_fields=bool(fields),
                changes=changes.field_changes(previous, data, fields),
                as_it_stood=changes.field_changes(None, data, fields),
            )
        )
    return entries


def _names(versions: list[RecordVersion]) -> Names:
    slugs: set[str] = set()
    usernames: set[str] = set()
    for version in versions:
        for data in (version.data, getattr(version, "previous_data", None)):
            if not isinstance(data, dict):
                continue
            if version.record_kind == RecordKind.INVOLVEMENT:
                if data.get("agency"):
                    slugs.add(str(data["agency"]))
                if data.get("professional"):
                    usernames.add(str(data["professional"]))
            elif version.record_kind == RecordKind.RESTRICTION:
                usernames.update(str(name) for name in data.get("named") or [] if name)
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=slugs)} if slugs else {}
    users = (
        {u.username: str(u) for u in User.objects.filter(username__in=usernames)}
        if usernames
        else {}
    )
    return Names(agencies, users)
