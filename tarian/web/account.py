"""The user's own account: two-factor authentication (TOTP), API tokens, and the language they
read Tarian in.

Two-factor authentication is required for privileged roles (``TARIAN_TWO_FACTOR_ROLES``) and
available to everyone. A user of such a role sets it up only after opening a one-time link
(``tarian.agencies.two_factor``). API tokens can be listed, issued (shown once) and revoked by
their owner; a privileged role's token only in a session that has passed the second factor.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import segno
from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from tarian.agencies import two_factor
from tarian.agencies.credentials import tokens_of
from tarian.agencies.models import User
from tarian.agencies.services import (
    issue_account_token,
    remember_language,
    revoke_account_token,
)
from tarian.agencies.two_factor import needs_two_factor
from tarian.errors import Refused
from tarian.web.refusals import user_of


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        help_text=gettext_lazy("The 6 digits your app shows now, for example 123456"),
        max_length=12,
        error_messages={"required": gettext_lazy("Enter the 6-digit code from your app")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def cleaned_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the token is for"),
        help_text=gettext_lazy("For example: the police records system link"),
        max_length=100,
        error_messages={"required": gettext_lazy("Say what the token is for")},
    )


class LinkForm(forms.Form):
    link = forms.CharField(
        label=gettext_lazy("Your set-up link"),
        help_text=gettext_lazy("Paste the whole link your system administrator gave you"),
        max_length=500,
        error_messages={"required": gettext_lazy("Paste your set-up link")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def secret(self) -> str:
        """The link's secret, from a whole link (``...?link=SECRET``) or the secret alone."""
        value = str(self.cleaned_data["link"]).strip()
        found = parse_qs(urlparse(value).query).get("link")
        return found[0] if found else value


WRONG_CODE = gettext_lazy("That code is not right. Check the time on your phone and try again")


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("web:home")


def _enrolment_link(request: HttpRequest, user: User, supplied: str) -> HttpResponse:
    """Ask for a set-up link, or open the one given and go on to set up in this session."""
    next_url = request.GET.get("next", "")
    form = LinkForm({"link": supplied} if supplied else None)
    if supplied and form.is_valid():
        try:
            request.session[two_factor.SESSION_KEY] = two_factor.start_enrolment(
                user, form.secret()
            )
        except Refused as refused:
            form.add_error("link", refused.errors[two_factor.LINK_NOT_VALID][0])
        else:
            # On to the set-up page without the secret in the address (history, screen).
            query = f"?{urlencode({'next': next_url})}" if next_url else ""
            return HttpResponseRedirect(reverse("web:two_factor_setup") + query)
    return render(
        request,
        "web/two_factor_link.html",
        {"form": form, "next": next_url},
        status=400 if supplied else 403,
    )


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user_has_device(user):
        return HttpResponseRedirect(reverse("web:two_factor_verify"))
    supplied = request.GET.get("link", "")
    if supplied or not two_factor.enrolment_allowed(
        user, request.session.get(two_factor.SESSION_KEY)
    ):
        return _enrolment_link(request, user, supplied)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", _("Too many wrong codes. Wait a minute, then try again"))
        elif device.verify_token(form.cleaned_code()):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.pop(two_factor.SESSION_KEY, None)
            messages.success(request, _("Two-factor authentication is set up."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", WRONG_CODE)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "web/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=4, dark="#0b0c0c", light="#ffffff"),
            "secret": _group(_base32(device.bin_key)),
            "required": needs_two_factor(user),
            "next": request.GET.get("next", ""),
        },
    )


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return HttpResponseRedirect(reverse("web:two_factor_setup"))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_is_allowed()[0] and device.verify_token(form.cleaned_code()):
                otp_login(request, device)
                return HttpResponseRedirect(_next_url(request))
        form.add_error("code", WRONG_CODE)
    return render(
        request, "web/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_token = ""  # nosec B105 - empty until a token is issued
    if request.method == "POST" and form.is_valid():
        try:
            new_token = issue_account_token(
                user,
                name=form.cleaned_data["name"],
                second_factor_verified=bool(request.user.is_verified()),  # type: ignore[union-attr]
            )
        except Refused as refused:
            for message in refused.errors.get("name", []):
                form.add_error("name", message)
        else:
            form = TokenForm()
    tokens = tokens_of(user)
    return render(
        request,
        "web/account.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": new_token,
            "has_two_factor": user_has_device(user),
            "two_factor_required": needs_two_factor(user),
        },
    )


@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    revoke_account_token(user_of(request), token_id=token_id)
    messages.success(request, _("The token was revoked. Systems using it can no longer connect."))
    return HttpResponseRedirect(reverse("web:account"))


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


def _group(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def choose_language(request: HttpRequest) -> HttpResponse:
    """Switch the language of the pages (Django's ``set_language``) and, for a signed-in user,
    remember it: what is written for them to read later (feedback on their referral) is then
    written in it too (VC2, FD5)."""
    response = set_language(request)
    if request.method == "POST" and isinstance(request.user, User):
        remember_language(request.user, language=request.POST.get("language", ""))
    return response
