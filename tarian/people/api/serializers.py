"""Shapes of people's API input and output (API contract). Structure only: the rules live in
the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from tarian.api.fields import Choice, ModelSerializer
from tarian.audit.models import AccessAction, Channel
from tarian.people import vocabulary
from tarian.people.models import (
    Involvement,
    InvolvementRole,
    Person,
    PersonKind,
    Sex,
    WelshActiveOffer,
)
from tarian.people.record_reads import PersonRecordRow


def _codes(list_name: str) -> list[tuple[str, str]]:
    """A controlled list (``people/lists.toml``): its codes, in order, with English labels."""
    return vocabulary.choices(list_name)


class AddressSerializer(serializers.Serializer[dict[str, Any]]):
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    town = serializers.CharField(max_length=100, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)


class PersonInputSerializer(serializers.Serializer[dict[str, Any]]):
    kind = Choice(PersonKind.choices)
    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    other_names = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=10
    )
    known_as = serializers.CharField(max_length=100, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    expected_date = serializers.DateField(required=False, allow_null=True)
    sex = Choice(Sex.choices, required=False)
    ethnicity = Choice(_codes("ethnicity"), required=False, allow_blank=True)
    first_language = Choice(
        _codes("language"), required=False, allow_blank=True, enum_name="LanguageEnum",
        help_text="ISO 639-1",
    )
    welsh_active_offer = Choice(WelshActiveOffer.choices, required=False)
    interpreter_needed = serializers.BooleanField(required=False)
    nhs_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    upn = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = AddressSerializer(required=False)


class PersonUpdateSerializer(PersonInputSerializer):
    kind = Choice(PersonKind.choices, required=False)
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=1000)
    address = None  # type: ignore[assignment]


class PersonCreatedSerializer(serializers.Serializer[Person]):
    id = serializers.CharField(source="ref")
    version = serializers.IntegerField()


class InvolvementSerializer(ModelSerializer[Involvement]):
    agency: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    team = serializers.CharField(source="team.name", default="", read_only=True)
    professional = serializers.SerializerMethodField()

    class Meta:
        model = Involvement
        fields = [
            "id",
            "agency",
            "agency_name",
            "team",
            "role",
            "professional",
            "start_date",
            "end_date",
            "end_reason",
            "version",
        ]

    def get_professional(self, obj: Involvement) -> str:
        if obj.professional is not None:
            return str(obj.professional)
        return obj.professional_name


class InvolvementInputSerializer(serializers.Serializer[dict[str, Any]]):
    agency = serializers.SlugField(max_length=64)
    role = Choice(InvolvementRole.choices)
    professional = serializers.CharField(max_length=200, required=False, allow_blank=True)
    team = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = serializers.DateField()


class InvolvementEndSerializer(serializers.Serializer[dict[str, Any]]):
    version = serializers.IntegerField(min_value=1)
    end_date = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class PersonSerializer(ModelSerializer[Person]):
    id = serializers.CharField(source="ref", read_only=True)
    ethnicity = Choice(_codes("ethnicity"), allow_blank=True, read_only=True)
    first_language = Choice(
        _codes("language"), allow_blank=True, read_only=True, enum_name="LanguageEnum"
    )
    address = serializers.SerializerMethodField()
    aliases = serializers.SerializerMethodField()
    merged_into = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
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
            "address",
            "aliases",
            "version",
            "created_at",
            "modified_at",
            "merged_into",
        ]

    def get_address(self, obj: Person) -> dict[str, str] | None:
        residences = getattr(obj, "current_residences", None)
        if residences is None:
            residences = [r for r in obj.residences.all() if r.end_date is None]
        if not residences:
            return None
        address = residences[0].address
        return {
            "line1": address.line1,
            "line2": address.line2,
            "town": address.town,
            "postcode": address.postcode,
        }

    def get_merged_into(self, obj: Person) -> str | None:
        """The Tarian ID of the record this one was merged into (IS3); null if it was not."""
        return merged_into_ref(obj)

    def get_aliases(self, obj: Person) -> list[dict[str, str]]:
        return [
            {"kind": n.kind, "given_name": n.given_name, "family_name": n.family_name}
            for n in obj.names.all()
        ]


class PersonFoundSerializer(PersonSerializer):
    """A person in a list or a search's results: with a search (``q``), why they matched, in
    the reader's language (the matcher's reasons: "surname the same: Jones", "previously known
    as Siân Pritchard"); empty in a plain list."""

    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "reasons"]


class PersonDetailSerializer(PersonSerializer):
    involvements = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "involvements"]

    def get_involvements(self, obj: Person) -> list[dict[str, Any]]:
        items = self.context.get("involvements", [])
        return [dict(InvolvementSerializer(i).data) for i in items]


def _datetime(value: dt.datetime | None) -> str | None:
    """``serializers.DateTimeField().to_representation`` with the project's settings (ISO 8601
    in the current time zone, UTC written ``Z``), without building a field for each read."""
    if value is None:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def merged_into_ref(person: Person) -> str | None:
    """The Tarian ID of the record ``person`` was merged into (IS3); None if it was not."""
    if person.merged_into_id is None:
        return None
    return Person.objects.values_list("ref", flat=True).get(pk=person.merged_into_id)


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _involvement_data(item: dict[str, Any]) -> dict[str, Any]:
    """One involvement of ``PersonRecordRow.involvements`` as ``InvolvementSerializer``
    shows it."""
    if item["username"] is not None:
        full_name = f"{item['first_name']} {item['last_name']}".strip()
        professional = full_name or item["username"]
    else:
        professional = item["professional_name"]
    return {
        "id": item["id"],
        "agency": item["agency"],
        "agency_name": item["agency_name"],
        "team": item["team"] or "",
        "role": item["role"],
        "professional": professional,
        "start_date": item["start_date"],
        "end_date": item["end_date"],
        "end_reason": item["end_reason"],
        "version": item["version"],
    }


def person_detail_data(record: PersonRecordRow) -> dict[str, Any]:
    """``PersonDetailSerializer`` of a person read with ``selectors.read_person``, built
    directly: this answers every partner system's lookup, and building DRF's model fields for
    each request cost more than the database's answers (issue 17). A test holds the two equal
    for every kind of record; the schema still documents ``PersonDetailSerializer``."""
    person = record.person
    return {
        "id": person.ref,
        "kind": person.kind,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "other_names": person.other_names,
        "known_as": person.known_as,
        "date_of_birth": _date(person.date_of_birth),
        "expected_date": _date(person.expected_date),
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "first_language": person.first_language,
        "welsh_active_offer": person.welsh_active_offer,
        "interpreter_needed": person.interpreter_needed,
        "nhs_number": person.nhs_number,
        "upn": person.upn,
        "address": record.address,
        "aliases": [
            {"kind": n["kind"], "given_name": n["given_name"], "family_name": n["family_name"]}
            for n in record.names
        ],
        "version": person.version,
        "created_at": _datetime(person.created_at),
        "modified_at": _datetime(person.modified_at),
        "merged_into": merged_into_ref(person),
        "involvements": [_involvement_data(item) for item in record.involvements],
    }


class BreakGlassInputSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(max_length=2000)


class BreakGlassSerializer(serializers.Serializer[Any]):
    person = serializers.CharField(source="person.ref")
    opened_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class AccessEventSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    username = serializers.CharField()
    user_display = serializers.CharField()
    agency = serializers.CharField(source="agency_name")
    action = Choice(AccessAction.choices)
    record_kind = serializers.CharField()
    channel = Choice(Channel.choices)
    route = serializers.CharField()
