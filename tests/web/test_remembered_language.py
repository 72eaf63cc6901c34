"""#20 item 11, VC2: a user who chose Welsh reads Welsh after signing in again, on any browser;
one who never chose keeps the browser's language."""

from __future__ import annotations

import pytest
from django.test import Client

from tarian.agencies.models import User

pytestmark = pytest.mark.django_db


def test_issue20_signing_in_brings_back_the_language_the_user_chose(social_worker: User) -> None:
    social_worker.language = "cy"
    social_worker.save()
    client = Client()
    signed = client.post("/login", {"username": "owain", "password": "Tarian-test-password-1"})
    assert signed.status_code == 302 and signed.cookies["django_language"].value == "cy"
    home = client.get("/").content.decode()
    assert '<html lang="cy"' in home and "Dewislen" in home


def test_issue20_a_user_who_never_chose_keeps_the_browsers_language(social_worker: User) -> None:
    client = Client()
    signed = client.post("/login", {"username": "owain", "password": "Tarian-test-password-1"})
    assert signed.status_code == 302 and "django_language" not in signed.cookies
