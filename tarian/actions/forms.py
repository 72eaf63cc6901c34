"""The form that closes an agreed action with its outcome (SM3). The rule (an outcome is
required) lives in the service; the form only carries what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OutcomeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    outcome = forms.CharField(
        label=_("Outcome"),
        help_text=_("What was done, or why it was not done."),
        widget=forms.Textarea(attrs={"rows": 5}), required=False, strip=False,
    )
