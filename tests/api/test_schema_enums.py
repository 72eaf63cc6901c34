"""The OpenAPI schema documents every enumeration (#20 item 12; API contract).

A property whose value comes from a fixed list (a model's choices, a procedures pack's list, a
controlled vocabulary, a clock's states) must carry ``enum`` in the schema served at
``/api/v1/openapi.json``, in requests and in answers, so a partner system can read the values
from the schema instead of finding them by trial. The walk below finds such properties by name
(every model field with choices, and the pack's and vocabularies' lists named here), so a new
one is checked without being listed; and every ChoiceField an API serializer declares must be
the framework's ``tarian.api.fields.Choice``, whose errors name the values allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from tarian.api.fields import Choice
from tarian.people import vocabulary
from tarian.procedures.clocks import ClockStatus
from tarian.procedures.packs import current_pack

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
COMPONENTS: dict[str, Any] = SCHEMA["components"]["schemas"]


def _pack(list_name: str) -> list[str]:
    return current_pack().codes(list_name)


def _vocabulary(list_name: str) -> list[str]:
    return [code for code, _label in vocabulary.choices(list_name)]


# Lists that are not a model field's choices, with the values the schema must list.
LISTS: dict[str, list[str]] = {
    "priority": _pack("referrer_priorities"),
    "outcome": _pack("gateway_outcomes"),
    "ethnicity": _vocabulary("ethnicity"),
    "first_language": _vocabulary("language"),
    "voice_language": _vocabulary("language"),
    "clock_status": [str(s) for s in ClockStatus],
    "feedback_status": [str(s) for s in ClockStatus],
}
# A name of ``LISTS`` that, in these components, holds another list (issue 21: an enquiry's
# outcome is one of the pack's enquiry outcomes, not a Gateway outcome).
OTHER_LISTS: dict[tuple[str, str], list[str]] = {
    ("EnquiryOut", "outcome"): _pack("enquiry_outcomes"),
    ("OutcomeInRequest", "outcome"): _pack("enquiry_outcomes"),
}
# Checked against a list that the partnership edits while Tarian runs: described, not listed.
DESCRIBED = {"threshold_level": "the partnership's threshold guide (FD7)"}
# Named like a coded field, but open: (component, property) and why.
CHALLENGE_KIND = "a challenge's about.kind is any kind a workflow registers (challenges.about)"
OPEN = {
    ("ChronologyEvent", "kind"): "each app's chronology source names its own kinds of event",
    ("AboutOutput", "kind"): CHALLENGE_KIND,
    ("AboutRequest", "kind"): CHALLENGE_KIND,
    ("Challenge.about", "kind"): CHALLENGE_KIND,
    ("ChallengeInputRequest.about", "kind"): CHALLENGE_KIND,
    ("ActionSubject", "kind"): "each workflow registers its own kinds of subject (SM3)",
    ("AgreedAction.subject", "kind"): "each workflow registers its own kinds of subject (SM3)",
    ("AgreedAction", "outcome"): "an agreed action's outcome is free text (SM3)",
    ("CompleteInputRequest", "outcome"): "an agreed action's outcome is free text (SM3)",
}


def coded_names() -> set[str]:
    names = set(LISTS) | set(DESCRIBED)
    for model in apps.get_models():
        if model.__module__.startswith("tarian."):
            names |= {f.name for f in model._meta.concrete_fields if f.choices}
    return names


def resolve(prop: dict[str, Any]) -> dict[str, Any]:
    """A property with its references followed: ``enum`` gathered from ``oneOf``/``allOf``."""
    if "$ref" in prop:
        return resolve(COMPONENTS[prop["$ref"].rsplit("/", 1)[1]])
    for key in ("allOf", "oneOf", "anyOf"):
        if key in prop:
            parts = [resolve(p) for p in prop[key]]
            merged = {k: v for part in parts for k, v in part.items() if k != "enum"}
            values = [v for part in parts for v in part.get("enum", [])]
            rest = {k: v for k, v in prop.items() if k != key}
            return {**merged, **rest, **({"enum": values} if values else {})}
    return prop


def properties() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(component, property, resolved schema) of every object in the schema, nested too."""
    def walk(where: str, schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for name, raw in schema.get("properties", {}).items():
            prop = resolve(raw)
            yield where, name, prop
            if prop.get("type") == "object":
                yield from walk(f"{where}.{name}", prop)
    for component, schema in COMPONENTS.items():
        yield from walk(component, schema)


def parameters() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    schema = resolve(parameter.get("schema", {}))
                    yield f"{method.upper()} {path}", parameter["name"], schema


def is_text(prop: dict[str, Any]) -> bool:
    if prop.get("type") == "array":
        return is_text(resolve(prop.get("items", {})))
    return "enum" in prop or (prop.get("type", "string") == "string" and "format" not in prop)


def values(prop: dict[str, Any]) -> list[Any]:
    if prop.get("type") == "array":
        return values(resolve(prop.get("items", {})))
    return [v for v in prop.get("enum", []) if v not in ("", None)]


def test_issue20_every_coded_property_and_parameter_lists_its_values() -> None:
    coded = coded_names()
    missing = []
    for where, name, prop in [*properties(), *parameters()]:
        if name not in coded or not is_text(prop) or (where, name) in OPEN:
            continue
        if name in DESCRIBED:
            if "enum" in prop or not prop.get("description"):
                missing.append(f"{where}.{name}: describe {DESCRIBED[name]}, do not list it")
        elif not values(prop):
            missing.append(f"{where}.{name}")
    assert not missing, "coded without enum: " + ", ".join(missing)


def test_issue20_pack_and_vocabulary_lists_are_documented_with_the_configured_values() -> None:
    seen = set()
    for where, name, prop in properties():
        if (where, name) in OTHER_LISTS:
            assert values(prop) == OTHER_LISTS[where, name], f"{where}.{name}"
        elif name in LISTS and is_text(prop) and (where, name) not in OPEN:
            assert values(prop) == LISTS[name], f"{where}.{name}"
            seen.add(name)
    assert seen == set(LISTS)


def test_issue20_the_walk_sees_the_referral_and_person_enumerations() -> None:
    """The walk is not vacuous: it finds what the contract names."""
    found = {(where, name): values(prop) for where, name, prop in properties()}
    assert found["ReferralInputRequest", "parental_awareness"] == [
        "aware", "not_aware", "not_told_risk"
    ]
    assert found["ReferralInputRequest", "consent"] == ["given", "refused", "not_sought"]
    assert "not_stated" in found["ReferralInputRequest", "voice_method"]
    assert found["Referral", "status"]
    assert found["Referral.decision", "outcome"] == LISTS["outcome"]
    assert found["PersonInputRequest", "kind"] == ["child", "unborn", "adult"]


def _serializers() -> Iterator[type[serializers.BaseSerializer[Any]]]:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's api module
    stack: list[type[Any]] = [serializers.Serializer]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("tarian.") and cls.__module__ != "tarian.api.fields":
            yield cls


def _fields(serializer: serializers.BaseSerializer[Any]) -> Iterator[tuple[str, Any]]:
    for name, field in getattr(serializer, "fields", {}).items():
        yield name, field
        if isinstance(field, serializers.ListField):
            yield f"{name}[]", field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from ((f"{name}.{n}", f) for n, f in _fields(field))


def test_issue20_every_api_choice_field_is_the_frameworks_choice() -> None:
    """So every enumerated field's errors name the values allowed (``tarian.api.fields``)."""
    found = []
    plain = []
    for cls in _serializers():
        for name, field in _fields(cls()):
            if isinstance(field, serializers.ChoiceField):
                found.append(f"{cls.__name__}.{name}")
                if not isinstance(field, Choice):
                    plain.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert found, "no serializer was found"
    assert not plain, "use tarian.api.fields.Choice: " + ", ".join(plain)
