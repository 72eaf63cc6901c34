"""The forms of Section 47 enquiries' pages (EQ1, EQ2, VC1).

Each form only carries what was typed: the rules (a rationale that says why, a type from the
pack, a child of these enquiries, an analysis of risk, a reason for each child not seen) are
``tarian.enquiries.services``', whose refusals are shown on the field they name. Choices that
depend on the enquiry (children, outcomes) are posted as plain values and checked there.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tarian.meetings.forms import WhenForm


def _text(label: Any, *, help_text: Any = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": rows}))


class StartForm(forms.Form):
    """EQ1: which children, the category of concern, the type and why."""

    children = forms.MultipleChoiceField(label=_("Children the enquiries are about"),
                                         required=False)
    concern = forms.CharField(label=_("Category of concern (optional)"), required=False)
    type = forms.CharField(label=_("Type of enquiries"), required=False)
    rationale = _text(_("Rationale"), help_text=_(
        "Why these enquiries, of this type, keep the child safe"))

    def __init__(self, *args: Any, children: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["children"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = children or []


class ChildSeenForm(WhenForm):
    """EQ2, VC1: a child seen: when, alone or not, their views, how gathered, in which
    language."""

    when_error = _("Enter the date and time the child was seen, for example 14 3 2027 10 30")

    child = forms.CharField(label=_("Child"), required=False)
    seen_alone = forms.ChoiceField(
        label=_("Was the child seen alone?"), required=False,
        choices=[("yes", _("Yes")), ("no", _("No"))],
    )
    views = _text(_("The child's views"), help_text=_(
        "In their own words where they could say, or what you observed"))
    voice_method = forms.CharField(label=_("How the child's views were gathered"),
                                   required=False)
    language = forms.CharField(label=_("Language the child spoke"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.moment() is None and "day" not in self.errors:
            self.add_error("day", self.when_error)
        if data.get("seen_alone") not in ("yes", "no"):
            self.add_error("seen_alone", _("Say whether the child was seen alone"))
        return data


class ConcludeForm(forms.Form):
    """EQ2: the outcome, the analysis of risk, why each child not seen was not, and whether an
    initial child protection conference is requested. Each child not seen has a field
    ``reason_<Tarian ID>``."""

    outcome = forms.CharField(label=_("Outcome"), required=False)
    analysis = _text(_("Analysis of risk"), help_text=_(
        "What the enquiries found, the risks to the child, what protects them, and why the "
        "outcome follows"), rows=8)
    request_conference = forms.BooleanField(
        label=_("Request an initial child protection conference"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, not_seen: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.not_seen = not_seen or []
        for ref, name in self.not_seen:
            self.fields[f"reason_{ref}"] = _text(
                _("Why %(child)s was not seen") % {"child": name},
                help_text=_("And what was done instead"), rows=3,
            )

    def reason_fields(self) -> list[forms.BoundField]:
        return [self[f"reason_{ref}"] for ref, _name in self.not_seen]

    def reasons(self) -> dict[str, str]:
        return {ref: str(self.cleaned_data.get(f"reason_{ref}") or "")
                for ref, _name in self.not_seen}
