"""Sessions end after idle time (sliding cookie age) and after an absolute limit from log-in."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client

from tarian.agencies.models import User
from tarian.web.middleware import SESSION_STARTED

pytestmark = pytest.mark.django_db


def test_idle_expiry_is_configured_and_sliding() -> None:
    assert settings.SESSION_COOKIE_AGE == settings.TARIAN_SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_session_ends_after_absolute_limit(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.TARIAN_SESSION_ABSOLUTE_HOURS * 3600 - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    login_page = client.get(response["Location"])
    assert "your session ended" in login_page.content.decode()
