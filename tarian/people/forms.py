"""People's forms in GOV.UK patterns: correcting and recording a person (IS3, VC2), opening and
managing a restricted record (IS1), deciding on duplicates and undoing merges (IS3, FD6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from tarian.people import vocabulary
from tarian.people.conflicts import values_read
from tarian.people.duplicates import Pair
from tarian.people.models import Person, PersonKind, Sex, WelshActiveOffer

TEXT_FIELDS = ("given_name", "family_name", "known_as", "nhs_number", "upn")
# The record's fields this form changes, in the order it shows them (and compares them when a
# save meets a change saved since: ``tarian.people.conflicts``).
COMPARED = [
    "given_name", "family_name", "known_as", "date_of_birth", "sex", "ethnicity",
    "first_language", "welsh_active_offer", "interpreter_needed", "nhs_number", "upn",
]


class PersonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # The values shown when the form was opened at that version (``conflicts.values_read``).
    read = forms.CharField(widget=forms.HiddenInput, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    known_as = forms.CharField(
        label=_("Known as"), max_length=100, required=False,
        help_text=_("The name the person uses day to day, if different"),
    )
    dob_day = forms.CharField(label=_("Day"), max_length=2, required=False)
    dob_month = forms.CharField(label=_("Month"), max_length=2, required=False)
    dob_year = forms.CharField(label=_("Year"), max_length=4, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False)
    first_language = forms.ChoiceField(label=_("First language"), required=False)
    welsh_active_offer = forms.ChoiceField(
        label=_("Welsh language active offer"), choices=WelshActiveOffer.choices,
        widget=forms.RadioSelect,
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    nhs_number = forms.CharField(
        label=_("NHS number"), max_length=20, required=False,
        help_text=_("10 digits, for example 943 476 5919"),
    )
    upn = forms.CharField(label=_("Unique pupil number"), max_length=20, required=False)
    reason = forms.CharField(
        label=_("Why are you changing this record?"),
        help_text=_("Everyone who can see the record can see your reason and the earlier version"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why you are changing this record")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        blank: list[tuple[str, str]] = [("", str(_("Not recorded")))]
        ethnicity = self.fields["ethnicity"]
        language_field = self.fields["first_language"]
        assert isinstance(ethnicity, forms.ChoiceField)
        assert isinstance(language_field, forms.ChoiceField)
        ethnicity.choices = blank + vocabulary.choices("ethnicity", language)
        language_field.choices = blank + vocabulary.choices("language", language)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = [str(cleaned.get(f) or "").strip() for f in ("dob_day", "dob_month", "dob_year")]
        if not any(parts):
            cleaned["date_of_birth"] = None
        elif not all(parts):
            self.add_error("dob_day", _("Date of birth must include a day, month and year"))
        else:
            try:
                cleaned["date_of_birth"] = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                self.add_error("dob_day", _("Date of birth must be a real date"))
        return cleaned

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {name: data.get(name, "") for name in TEXT_FIELDS}
        changes.update(
            date_of_birth=data.get("date_of_birth"),
            sex=data["sex"],
            ethnicity=data.get("ethnicity", ""),
            first_language=data.get("first_language", ""),
            welsh_active_offer=data["welsh_active_offer"],
            interpreter_needed=bool(data.get("interpreter_needed")),
        )
        return changes


def initial_for(person: Person) -> dict[str, Any]:
    born = person.date_of_birth
    return {
        "version": person.version,
        "read": values_read(person, COMPARED),
        **{name: getattr(person, name) for name in TEXT_FIELDS},
        "dob_day": born.day if born else "",
        "dob_month": born.month if born else "",
        "dob_year": born.year if born else "",
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "first_language": person.first_language,
        "welsh_active_offer": person.welsh_active_offer,
        "interpreter_needed": person.interpreter_needed,
    }


def form_data_for(values: dict[str, Any]) -> dict[str, list[str]]:
    """The form's fields holding these record values (as ``conflicts`` compares them), as a
    draft keeps what was typed."""
    data: dict[str, list[str]] = {}
    for name, value in values.items():
        if name == "date_of_birth":
            born = dt.date.fromisoformat(value) if value else None
            for part, number in (("dob_day", "day"), ("dob_month", "month"), ("dob_year", "year")):
                data[part] = [str(getattr(born, number)) if born else ""]
        elif name == "interpreter_needed":
            data[name] = ["on"] if value else []
        else:
            data[name] = ["" if value is None else str(value)]
    return data


# Where a service's error on a record field is shown on this form.
FIELD_FOR_ERROR = {
    "date_of_birth": "dob_day",
    "expected_date": "dob_day",
    "address.line1": "line1",
    "address.postcode": "postcode",
}


class NewPersonForm(forms.Form):
    """Recording someone who is not yet on Tarian (after searching for them first)."""

    kind = forms.ChoiceField(
        label=_("Who are you recording?"), choices=PersonKind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose child, unborn baby or adult")},
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    dob_day = forms.CharField(label=_("Day"), max_length=2, required=False)
    dob_month = forms.CharField(label=_("Month"), max_length=2, required=False)
    dob_year = forms.CharField(label=_("Year"), max_length=4, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect,
                            initial=Sex.UNKNOWN)
    nhs_number = forms.CharField(label=_("NHS number (if known)"), max_length=20,
                                 required=False)
    line1 = forms.CharField(label=_("Address line 1"), max_length=200, required=False)
    town = forms.CharField(label=_("Town"), max_length=100, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = [str(cleaned.get(f) or "").strip() for f in ("dob_day", "dob_month", "dob_year")]
        cleaned["date"] = None
        if all(parts):
            try:
                cleaned["date"] = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                self.add_error("dob_day", _("The date must be a real date"))
        elif any(parts):
            self.add_error("dob_day", _("The date must include a day, month and year"))
        return cleaned

    def person_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        unborn = data["kind"] == "unborn"
        return {
            "kind": data["kind"],
            "given_name": data.get("given_name", ""),
            "family_name": data.get("family_name", ""),
            "date_of_birth": None if unborn else data.get("date"),
            "expected_date": data.get("date") if unborn else None,
            "sex": data.get("sex") or Sex.UNKNOWN,
            "nhs_number": data.get("nhs_number", ""),
        }

    def address(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not any(data.get(f) for f in ("line1", "town", "postcode")):
            return None
        return {"line1": data.get("line1", ""), "town": data.get("town", ""),
                "postcode": data.get("postcode", "")}


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see this record now?"),
        help_text=_(
            "For example: a child on this record is at the front door now and I need to check "
            "for a protection plan. Your reason is recorded and your manager is told."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why you need to see this record now")},
    )


class RestrictionForm(forms.Form):
    restricted = forms.TypedChoiceField(
        label=_("Restrict this record?"),
        choices=[("yes", _("Yes, only named people may see it")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the record is restricted")},
    )
    named = forms.CharField(
        label=_("Who else may see it"),
        help_text=_("Usernames separated by commas. You are named automatically."),
        required=False,
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the record is being restricted or opened up")},
    )


class MergeForm(forms.Form):
    keep = forms.ChoiceField(
        label=_("Which record do you want to keep?"),
        help_text=_(
            "Usually the record with more history. Everything on the other record moves to the "
            "one you keep; the other record stays, hidden from searches, and leads to the one "
            "you keep. You can undo a merge."
        ),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the record to keep")},
    )
    reason = forms.CharField(
        label=_("Why are these the same person?"),
        help_text=_(
            "For example: the same NHS number and date of birth, and the school confirmed the "
            "child's previous surname."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why these records are the same person")},
    )

    def __init__(self, *args: Any, pair: Pair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (side.person.ref, gettext("Keep %(name)s (%(ref)s)") % {
                "name": side.person.full_name or gettext("Unnamed person"), "ref": side.person.ref})
            for side in (pair.a, pair.b)
        ]


class NotSameForm(forms.Form):
    note = forms.CharField(
        label=_("What tells them apart? (optional)"),
        help_text=_("Whoever finds these records next will see your note."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class UndoForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you undoing this merge?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why this merge is being undone")},
    )
