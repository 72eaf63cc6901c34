"""The professional challenge's forms (PC1). They only carry the typed text back and forth:
every rule (a reason that says something, who may answer) is the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tarian.errors import Refused


class RaiseForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    reason = forms.CharField(
        label=_("Why do you disagree with this decision?"),
        help_text=_("Say what you disagree with and why: what you know, what you think should "
                    "happen instead, and the risk to the child if it does not."),
        required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8}),
    )


class RespondForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    text = forms.CharField(
        label=_("Your response"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    resolved = forms.ChoiceField(
        label=_("Does this resolve the challenge?"),
        help_text=_("If it does, say what was agreed and why."),
        choices=[("no", _("No, the challenge stays open at this tier")),
                 ("yes", _("Yes, this resolves it"))],
        initial="no",
    )


class EscalateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    reason = forms.CharField(
        label=_("Why are you escalating it?"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    reason = forms.CharField(
        label=_("Why are you withdrawing it?"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def attach(form: forms.Form, refused: Refused) -> None:
    """Put a service's refusal on the form: on the field it names, else on the whole form."""
    for name, messages in refused.errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
