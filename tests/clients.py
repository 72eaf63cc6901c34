"""Signed-in test clients: a session that has passed two-factor authentication where needed."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tarian.agencies.models import User
from tarian.web.middleware import needs_two_factor


def signed_in(
    user: User,
    language: str = "en",
    *,
    verified: bool = True,
    client_class: type[Client] = Client,
) -> Client:
    """A client logged in as ``user``; privileged users also get a verified second factor."""
    client = client_class()
    client.force_login(user)
    client.cookies["django_language"] = language
    if verified and needs_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
