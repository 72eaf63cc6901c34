"""Forms for the shell, with messages that name the field and say how to fix it."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tarian.errors import Refused


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        error_messages={"required": _("Enter your username")},
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("The username or password is not right. Check them and try again."),
        "inactive": _("This account has been switched off. Ask your system administrator."),
    }


def add_refusal(form: forms.Form, refused: Refused) -> None:
    """Show a service's refusal on the form, each message on its field where the form has it."""
    for name, messages in refused.errors.items():
        field = name if name in form.fields else None
        for message in messages:
            form.add_error(field, message)
