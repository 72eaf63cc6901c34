"""The forms on a meeting's page (issue 21; SM1, SM2, SM4 to SM6).

Each form only parses what was typed: the rules (a reason to decline, a rationale that says
something, a decision from the pack's list, who may do what) are the services', whose refusals
are shown on the field they name. Every form has a prefix, so that the page's many forms never
share an element id. Choices that depend on the meeting (agencies, decisions, children) are
posted as plain values and checked by the service; the page offers them as options.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tarian.meetings.models import Audience, InvitationStatus


def _text(label: Any, *, help_text: Any = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _audience() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Who may read it"), choices=Audience.choices,
                             initial=Audience.INVITED, required=False)


def _part(label: Any, high: int, low: int = 0) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=low, max_value=high)


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Will your agency attend?"), required=False,
        choices=[
            (InvitationStatus.ACCEPTED, _("Yes, we will attend")),
            (InvitationStatus.DECLINED, _("No, we cannot attend")),
            (InvitationStatus.SENT_INFORMATION, _("We cannot attend and send information "
                                                  "instead")),
        ],
    )
    reason = _text(_("Why your agency cannot attend"),
                   help_text=_("Needed when your agency cannot attend"), rows=3)
    information = _text(_("Information your agency sends"),
                        help_text=_("Needed when your agency sends information instead"))
    audience = _audience()


class ShareForm(forms.Form):
    text = _text(_("Information your agency shares with the meeting"))
    audience = _audience()


class AgencyReasonForm(forms.Form):
    """Leave a proposed agency out, or invite another one: the agency and why."""

    agency = forms.CharField(label=_("Agency"), required=False)
    reason = _text(_("Why"), rows=3)


class WhenForm(forms.Form):
    """A date and time typed in the GOV.UK date pattern (day, month, year; hour, minute)."""

    when_field = "held_at"
    when_error = _("Enter the date and time the meeting was held, for example 14 3 2027 10 30")

    day = _part(_("Day"), 31, 1)
    month = _part(_("Month"), 12, 1)
    year = _part(_("Year"), 2100, 2000)
    hour = _part(_("Hour"), 23)
    minute = _part(_("Minute"), 59)

    def moment(self) -> dt.datetime | None:
        data = self.cleaned_data
        parts = [data.get(name) for name in ("day", "month", "year", "hour", "minute")]
        if all(part is None for part in parts):
            return None
        try:
            day, month, year, hour, minute = (int(part) for part in parts)  # type: ignore[arg-type]
            return timezone.make_aware(dt.datetime(year, month, day, hour, minute))
        except (TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = [data.get(name) for name in ("day", "month", "year", "hour", "minute")]
        if any(part is not None for part in typed) and self.moment() is None:
            self.add_error("day", self.when_error)
        return data


class HeldForm(WhenForm):
    attended = forms.MultipleChoiceField(label=_("Agencies that attended"), required=False)
    risk_analysis = _text(_("Risk analysis"), help_text=_(
        "What the agencies agreed about the risks to the child, and what keeps them safe"))

    def __init__(self, *args: Any, agencies: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attended = self.fields["attended"]
        assert isinstance(attended, forms.MultipleChoiceField)
        attended.choices = agencies or []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.moment() is None and "day" not in self.errors:
            self.add_error("day", self.when_error)
        return data


class DecisionForm(forms.Form):
    decision = forms.CharField(label=_("Decision"), required=False)
    rationale = _text(_("Rationale"), help_text=_(
        "Why the meeting decided this: what was found, and what it means for the child"))
    child = forms.CharField(label=_("Which child (optional)"), required=False)


class DissentForm(forms.Form):
    decision = forms.CharField(label=_("About which decision (optional)"), required=False)
    what = _text(_("What your agency disagrees with"), rows=3)
    reason = _text(_("Why your agency disagrees"))


class AddendumForm(forms.Form):
    text = _text(_("What was agreed"))
    day = _part(_("Day"), 31, 1)
    month = _part(_("Month"), 12, 1)
    year = _part(_("Year"), 2100, 2000)
    agreed_with = forms.CharField(label=_("Agreed with (optional)"), required=False,
                                  max_length=500)

    def agreed_on(self) -> dt.date | None:
        data = self.cleaned_data
        try:
            return dt.date(int(data["year"]), int(data["month"]), int(data["day"]))
        except (KeyError, TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.agreed_on() is None:
            self.add_error("day", _("Enter the date it was agreed, for example 14 3 2027"))
        return data


class MinutesForm(forms.Form):
    text = _text(_("Minutes"), rows=12)
    language = forms.ChoiceField(
        label=_("Language the minutes are written in"), required=False,
        choices=[("en", _("English")), ("cy", _("Welsh"))], initial="en",
    )
    translation = _text(_("Translation (optional)"), help_text=_(
        "The minutes in the other language, for readers who read Tarian in it"), rows=8)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ActionForm(forms.Form):
    """SM3: an action the meeting agreed: the agency that owns it (one invited), the person
    there (optional), what is to be done and the date it is due (the GOV.UK date pattern)."""

    owner_agency = forms.CharField(label=_("Agency that owns the action"), required=False)
    owner = forms.CharField(label=_("Person who owns it (optional)"), required=False)
    description = _text(_("What is to be done"), rows=3)
    day = _part(_("Day"), 31, 1)
    month = _part(_("Month"), 12, 1)
    year = _part(_("Year"), 2100, 2000)

    def due_date(self) -> dt.date | None:
        data = self.cleaned_data
        try:
            return dt.date(int(data["year"]), int(data["month"]), int(data["day"]))
        except (KeyError, TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = [data.get(name) for name in ("day", "month", "year")]
        if any(part is not None for part in typed) and self.due_date() is None:
            self.add_error("day", _("Enter a real date the action is due, for example 14 3 2027"))
        return data


class CancelForm(forms.Form):
    reason = _text(_("Why the meeting is cancelled"), rows=3)
