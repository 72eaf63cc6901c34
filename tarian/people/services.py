"""Changing the shared record: create people, correct them, record involvements (IS3, IS4, VC2).

Each function is one transaction that checks access, validates every field (collecting all
problems into one ``Refused``), writes, versions the record with its author and reason, and
audits the write. Nothing is half-saved.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, Agency, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_access, record_version
from tarian.core.dates import DateKind, parse_date
from tarian.core.text import fold
from tarian.errors import Conflict, Forbidden, NotFound, Refused
from tarian.people import vocabulary
from tarian.people.identifiers import parse_nhs_number, parse_postcode, parse_upn
from tarian.people.matching.keys import refresh_keys
from tarian.people.models import (
    Address,
    Involvement,
    InvolvementRole,
    Person,
    PersonKind,
    Residence,
    Sex,
    WelshActiveOffer,
)
from tarian.people.selectors import people_for

# Reasons Tarian writes itself, kept in English and shown in the reader's language
# (``people.history``).
NEW_RECORD = gettext_noop("New record")
INVOLVEMENT_RECORDED = gettext_noop("Involvement recorded")
REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U
PERSON_FIELDS = (
    "kind",
    "given_name",
    "family_name",
    "other_names",
    "known_as",
    "date_of_birth",
    "expected_date",
    "sex",
    "ethnicity",
    "first_language",
    "welsh_active_offer",
    "interpreter_needed",
    "nhs_number",
    "upn",
)


def new_ref(random_hex: str | None = None) -> str:
    """A short, unguessable, unambiguous Tarian ID such as ``T7K3M9Q2X``."""
    value = int(random_hex or secrets.token_hex(5), 16)
    chars = []
    for _position in range(8):
        value, rem = divmod(value, 32)
        chars.append(REF_ALPHABET[rem])
    return "T" + "".join(chars)


def set_folded_names(person: Person) -> None:
    person.given_name_folded = fold(person.given_name)[:100]
    person.family_name_folded = fold(person.family_name)[:100]


def snapshot(person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in PERSON_FIELDS:
        value = getattr(person, name)
        data[name] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def clean_person_fields(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate person fields; every problem is named by its field. Returns cleaned values."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    unknown = set(data) - set(PERSON_FIELDS)
    for name in sorted(unknown):
        bad(name, _("This field is not part of a person's record"))

    def text(name: str) -> str:
        value = data.get(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            bad(name, _("Enter text"))
            return ""
        return value

    if "kind" in data or not partial:
        kind = text("kind")
        if kind not in PersonKind.values:
            bad("kind", _("Choose child, unborn or adult"))
        clean["kind"] = kind
    for name in ("given_name", "family_name", "known_as"):
        if name in data:
            value = data.get(name) or ""
            if not isinstance(value, str):
                bad(name, _("Enter text"))
                continue
            value = " ".join(value.split())
            if len(value) > 100:
                bad(name, _("Use 100 characters or fewer"))
            clean[name] = value
    if "other_names" in data:
        others = data.get("other_names") or []
        if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
            bad("other_names", _("Give other names as a list of text"))
        else:
            clean["other_names"] = [" ".join(o.split()) for o in others if o.strip()]
    for name, date_kind in (
        ("date_of_birth", DateKind.BIRTH),
        ("expected_date", DateKind.EXPECTED),
    ):
        if name in data:
            clean[name] = parse_date(data.get(name), name=name, kind=date_kind, errors=errors)
    if "sex" in data:
        sex = text("sex") or Sex.UNKNOWN
        if sex not in Sex.values:
            bad("sex", _("Choose one of: %(values)s") % {"values": ", ".join(Sex.values)})
        clean["sex"] = sex
    for name, list_name in (("ethnicity", "ethnicity"), ("first_language", "language")):
        if name in data:
            value = text(name)
            if value and value not in vocabulary.codes(list_name):
                bad(name, _("Choose a value from the list"))
            clean[name] = value
    if "welsh_active_offer" in data:
        offer = text("welsh_active_offer") or WelshActiveOffer.NOT_OFFERED
        if offer not in WelshActiveOffer.values:
            bad(
                "welsh_active_offer",
                _("Choose one of: %(values)s") % {"values": ", ".join(WelshActiveOffer.values)},
            )
        clean["welsh_active_offer"] = offer
    if "interpreter_needed" in data:
        clean["interpreter_needed"] = bool(data.get("interpreter_needed"))
    for name, parser in (("nhs_number", parse_nhs_number), ("upn", parse_upn)):
        if name in data:
            value = text(name)
            if value:
                try:
                    value = parser(value)
                except ValueError as exc:
                    bad(name, str(exc))
            clean[name] = value
    return _check_kind_dates(clean, errors, partial)


def _check_kind_dates(
    clean: dict[str, Any], errors: dict[str, list[str]], partial: bool
) -> dict[str, Any]:
    kind = clean.get("kind")
    if not partial and kind == PersonKind.UNBORN and not clean.get("expected_date"):
        errors.setdefault("expected_date", []).append(_("Enter the expected date of birth"))
    if kind == PersonKind.UNBORN and clean.get("date_of_birth"):
        errors.setdefault("date_of_birth", []).append(
            _("An unborn baby has an expected date, not a date of birth")
        )
    if not partial and not (clean.get("given_name") or clean.get("family_name")):
        errors.setdefault("family_name", []).append(
            _("Enter a name (for an unborn baby, the family name is enough)")
        )
    if errors:
        raise Refused(errors)
    return clean


def clean_address(data: dict[str, Any] | None) -> dict[str, str] | None:
    if not data:
        return None
    if not isinstance(data, dict):
        raise Refused("address", _("Give the address as line1, town and postcode"))
    errors: dict[str, list[str]] = {}
    line1 = " ".join(str(data.get("line1") or "").split())
    if not line1:
        errors["address.line1"] = [_("Enter the first line of the address")]
    postcode = str(data.get("postcode") or "")
    if postcode:
        try:
            postcode = parse_postcode(postcode)
        except ValueError as exc:
            errors["address.postcode"] = [str(exc)]
    if errors:
        raise Refused(errors)
    return {
        "line1": line1[:200],
        "line2": " ".join(str(data.get("line2") or "").split())[:200],
        "town": " ".join(str(data.get("town") or "").split())[:100],
        "postcode": postcode,
    }


def _require(user: User, record_kind: str, action: str) -> Scope:
    scope = scope_for(user, record_kind, action)
    if scope == Scope.NONE:
        raise Forbidden(f"{record_kind}:{action}")
    return scope


@transaction.atomic
def create_person(
    user: User,
    *,
    data: dict[str, Any],
    address: dict[str, Any] | None = None,
    reason: str = NEW_RECORD,
) -> Person:
    """Record a person who is not yet on Tarian. Validates everything before writing."""
    _require(user, RecordKind.PERSON, Action.WRITE)
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    clean_addr: dict[str, str] | None = None
    try:
        clean = clean_person_fields(data)
    except Refused as exc:
        errors.update(exc.errors)
    try:
        clean_addr = clean_address(address)
    except Refused as exc:
        errors.update(exc.errors)
    if errors:
        raise Refused(errors)

    person = Person(**clean, created_by=user, modified_by=user, created_by_agency=user.agency)
    set_folded_names(person)
    for _attempt in range(5):
        person.ref = new_ref()
        if not Person.objects.filter(ref=person.ref).exists():
            break
    person.save()
    if clean_addr:
        addr = Address.objects.create(**clean_addr)
        Residence.objects.create(person=person, address=addr, start_date=timezone.localdate())
    refresh_keys([person.pk])
    record_version(
        user,
        record_kind=RecordKind.PERSON,
        record_id=person.ref,
        version=person.version,
        data={**snapshot(person), "address": clean_addr},
        reason=reason,
        person_id=person.pk,
    )
    record_access(
        user,
        action=AccessAction.CREATE,
        record_kind=RecordKind.PERSON,
        record_id=person.ref,
        person_id=person.pk,
    )
    return person


@transaction.atomic
def update_person(
    user: User, *, ref: str, version: int, changes: dict[str, Any], reason: str
) -> Person:
    """Correct a person's details. ``version`` is the one the user read; a stale one conflicts."""
    _require(user, RecordKind.PERSON, Action.WRITE)
    if not reason or not reason.strip():
        raise Refused("reason", _("Say why you are changing this record"))
    try:
        person = people_for(user, Action.WRITE).select_for_update().get(ref=ref)
    except Person.DoesNotExist as exc:
        raise NotFound(ref) from exc
    if person.version != version:
        raise Conflict(person.version)
    clean = clean_person_fields(changes, partial=True)
    # The record as it would be must still make sense (an unborn baby keeps an expected date).
    _check_kind_dates({**snapshot(person), **clean}, {}, partial=False)
    for name, value in clean.items():
        setattr(person, name, value)
    set_folded_names(person)
    person.version += 1
    person.modified_by = user
    person.save()
    refresh_keys([person.pk])
    record_version(
        user,
        record_kind=RecordKind.PERSON,
        record_id=person.ref,
        version=person.version,
        data=snapshot(person),
        reason=reason.strip(),
        person_id=person.pk,
    )
    record_access(
        user,
        action=AccessAction.UPDATE,
        record_kind=RecordKind.PERSON,
        record_id=person.ref,
        person_id=person.pk,
        detail={"fields": sorted(clean)},
    )
    return person


def involvement_snapshot(involvement: Involvement) -> dict[str, Any]:
    return {
        "agency": involvement.agency.slug,
        "team": involvement.team.name if involvement.team else "",
        "role": involvement.role,
        "professional": involvement.professional.username if involvement.professional else "",
        "professional_name": involvement.professional_name,
        "start_date": involvement.start_date.isoformat(),
        "end_date": involvement.end_date.isoformat() if involvement.end_date else None,
        "end_reason": involvement.end_reason,
    }


@transaction.atomic
def add_involvement(
    user: User,
    *,
    person_ref: str,
    agency_slug: str,
    role: str,
    start_date: dt.date | str | None,
    professional: str = "",
    team_name: str = "",
) -> Involvement:
    """Record that an agency (and optionally a named professional) works with a person."""
    scope = _require(user, RecordKind.INVOLVEMENT, Action.WRITE)
    try:
        person = people_for(user, Action.WRITE).get(ref=person_ref)
    except Person.DoesNotExist as exc:
        raise NotFound(person_ref) from exc

    errors: dict[str, list[str]] = {}
    agency = Agency.objects.filter(slug=agency_slug, is_active=True).first()
    if agency is None:
        errors["agency"] = [_("No active agency has this identifier")]
    elif scope == Scope.INVOLVED and agency.pk != user.agency_id:
        errors["agency"] = [_("You can only record your own agency's involvement")]
    if role not in InvolvementRole.values:
        errors["role"] = [
            _("Choose one of: %(values)s") % {"values": ", ".join(InvolvementRole.values)}
        ]
    start = parse_date(
        start_date, name="start_date", kind=DateKind.EVENT, errors=errors, required=True
    )
    if start and start > timezone.localdate():
        errors.setdefault("start_date", []).append(_("The start date must not be in the future"))
    professional_user = None
    professional_name = ""
    if professional:
        professional_user = User.objects.filter(username=professional, is_active=True).first()
        if professional_user is not None and agency is not None:
            if professional_user.agency_id != agency.pk:
                errors["professional"] = [_("This professional does not work for that agency")]
        elif professional_user is None:
            professional_name = " ".join(professional.split())[:200]
    team = None
    if team_name and agency is not None:
        team = agency.teams.filter(name=team_name).first()
        if team is None:
            errors["team"] = [_("This agency has no team of that name")]
    if errors:
        raise Refused(errors)
    assert agency is not None and start is not None
    involvement = Involvement.objects.create(
        person=person,
        agency=agency,
        team=team,
        role=role,
        professional=professional_user,
        professional_name=professional_name,
        start_date=start,
        created_by=user,
        modified_by=user,
    )
    record_version(
        user,
        record_kind=RecordKind.INVOLVEMENT,
        record_id=involvement.pk,
        version=1,
        data=involvement_snapshot(involvement),
        reason=INVOLVEMENT_RECORDED,
        person_id=person.pk,
    )
    record_access(
        user,
        action=AccessAction.CREATE,
        record_kind=RecordKind.INVOLVEMENT,
        record_id=involvement.pk,
        person_id=person.pk,
    )
    return involvement


@transaction.atomic
def end_involvement(
    user: User, *, involvement_id: int, version: int, end_date: dt.date | str | None, reason: str
) -> Involvement:
    scope = _require(user, RecordKind.INVOLVEMENT, Action.WRITE)
    try:
        involvement = (
            Involvement.objects.select_for_update(of=("self",))
            .select_related("agency", "team", "professional", "person")
            .get(pk=involvement_id, person__in=people_for(user, Action.WRITE))
        )
    except Involvement.DoesNotExist as exc:
        raise NotFound(str(involvement_id)) from exc
    if scope == Scope.INVOLVED and involvement.agency_id != user.agency_id:
        raise Forbidden("involvement:write")
    if involvement.version != version:
        raise Conflict(involvement.version)
    errors: dict[str, list[str]] = {}
    end = parse_date(end_date, name="end_date", kind=DateKind.EVENT, errors=errors, required=True)
    if end and end < involvement.start_date:
        errors.setdefault("end_date", []).append(
            _("The end date must be on or after the start date")
        )
    if not reason.strip():
        errors["end_reason"] = [_("Say why the involvement ended")]
    if errors:
        raise Refused(errors)
    involvement.end_date = end
    involvement.end_reason = reason.strip()[:300]
    involvement.version += 1
    involvement.modified_by = user
    involvement.save()
    record_version(
        user,
        record_kind=RecordKind.INVOLVEMENT,
        record_id=involvement.pk,
        version=involvement.version,
        data=involvement_snapshot(involvement),
        reason=involvement.end_reason,
        person_id=involvement.person_id,
    )
    record_access(
        user,
        action=AccessAction.UPDATE,
        record_kind=RecordKind.INVOLVEMENT,
        record_id=involvement.pk,
        person_id=involvement.person_id,
    )
    return involvement
