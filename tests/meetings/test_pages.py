"""Smoke."""
from __future__ import annotations

import pytest

from tarian.agencies.models import User
from tarian.meetings.models import Meeting
from tests.clients import signed_in

pytestmark = pytest.mark.django_db


def test_smoke(meeting: Meeting, gateway_worker: User, school_dsl: User) -> None:
    for user in (gateway_worker, school_dsl):
        client = signed_in(user)
        response = client.get(f"/meetings/{meeting.pk}")
        assert response.status_code == 200, response.content[:3000]
        response = client.get("/meetings")
        assert response.status_code == 200
        response = client.get(f"/meetings/{meeting.pk}/minutes.pdf")
        assert response.status_code == 200
