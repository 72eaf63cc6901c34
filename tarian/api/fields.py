"""Enumerated values in the API's input and output, written once (API contract; #20 item 12).

Every field whose value comes from a fixed list (a model's choices, a procedures pack's list, a
controlled vocabulary of ``people/lists.toml``) is a ``Choice``, in every app's serializers:

- A value not in the list, and a value of the wrong JSON type (a number, true or false, a list,
  an object, null), are refused naming the field with one message that names the values
  allowed: "Choose one of: aware, not_aware, not_told_risk" (never DRF's "Not a valid string."
  or '"x" is not a valid choice.'). A partner system's developer can correct the call from the
  answer alone.
- The OpenAPI schema lists the values as ``enum`` (drf-spectacular maps every ``ChoiceField``).
  A list given as a function (a pack's list) is read when the value is checked and when the
  schema is generated, so both follow the configured pack.
- A list used under several names, or a name used for several lists (``status``), is given
  its own component name (``enum_name``), so that the schema names it once and plainly.
- A list that the partnership edits while Tarian runs (the threshold guide's levels, FD7) is
  described in the schema instead of listed (``listed=False``): a schema cached by a partner
  must not refuse a level added since; the error still names the levels in use.

This checks the value's shape against the list; the services still check every rule, and the
same lists, for the pages too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.drainage import set_override
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from rest_framework import serializers
from rest_framework.fields import flatten_choices_dict, to_choices_dict

Choices = Sequence[Any]  # codes, or (code, label) pairs, as Django's choices


def choose_one_of(codes: Iterable[str]) -> str:
    """The refusal for a value outside ``codes``, the same from every field and service."""
    return _("Choose one of: %(values)s") % {"values": ", ".join(codes)}


class Choice(serializers.ChoiceField):
    """A code from a fixed list; see the module docstring."""

    def __init__(
        self,
        choices: Choices | Callable[[], Choices],
        *,
        listed: bool = True,
        enum_name: str = "",
        **kwargs: Any,
    ) -> None:
        self.source_of_choices = choices if callable(choices) else None
        self.enum_name = enum_name
        super().__init__([] if callable(choices) else choices, **kwargs)
        if not listed:
            set_override(self, "field", {"type": "string"})

    # DRF keeps the flattened list in ``_choices``; a list given as a function is read again
    # each time it is asked for (checking a value, generating the schema), never at import.
    @property
    def choices(self) -> dict[Any, Any]:
        if self.source_of_choices is not None:
            self._keep(self.source_of_choices())
        return self._choices

    @choices.setter
    def choices(self, choices: Choices) -> None:
        self._keep(choices)

    def _keep(self, choices: Choices) -> None:
        self.grouped_choices = to_choices_dict(choices)
        self._choices = flatten_choices_dict(self.grouped_choices)
        self.choice_strings_to_values = {str(code): code for code in self._choices}

    def codes(self) -> list[str]:
        return [str(code) for code in self.choices]

    def refusal(self) -> serializers.ValidationError:
        return serializers.ValidationError(choose_one_of(self.codes()), code="invalid_choice")

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None and not self.allow_null and not self.read_only:
            raise self.refusal()
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        if isinstance(data, str):  # never a number or true for "1" or "True"
            known = {str(code): code for code in self.choices}
            if data in known:
                return known[data]
        raise self.refusal()

    def to_representation(self, value: Any) -> Any:
        # What was stored, as stored: an answer never reads the list (no query per row).
        return value if value in ("", None) else str(value)


_M = TypeVar("_M", bound=models.Model)


class ModelSerializer(serializers.ModelSerializer[_M]):
    """A model's serializer whose fields with choices are ``Choice``s, like every other."""

    serializer_choice_field = Choice


BLANK = ResolvedComponent("BlankEnum", ResolvedComponent.SCHEMA, {"enum": [""]}, "BlankEnum")
NULL = ResolvedComponent("NullEnum", ResolvedComponent.SCHEMA, {"enum": [None]}, "NullEnum")


class NamedChoiceSchema(OpenApiSerializerFieldExtension):
    """A ``Choice`` with an ``enum_name``: its values as one schema component of that name,
    referred to from each property (blank or null allowed as drf-spectacular's enum hook
    writes them), rather than named by the property by the hook."""

    target_class = Choice
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field = self.target
        assert isinstance(field, Choice)
        listed = build_choice_field(field)
        if not field.enum_name:
            return listed
        values = [v for v in listed["enum"] if v not in ("", None)]
        component = ResolvedComponent(
            field.enum_name,
            ResolvedComponent.SCHEMA,
            {"enum": values, "type": "string", "description": listed.get("description", "")},
            field.enum_name,
        )
        refs = [component]
        if field.allow_blank:
            refs.append(BLANK)
        if field.allow_null:
            refs.append(NULL)
        for each in refs:
            auto_schema.registry.register_on_missing(each)
        if len(refs) == 1:
            return {"allOf": [component.ref]}
        return {"oneOf": [each.ref for each in refs]}
