"""A record loaded without versions (a bulk load, the demo's seed) says when it was recorded
rather than that nothing was (#20 item 10, IS3; found probing the demo)."""

from __future__ import annotations

import pytest

from tarian.agencies.models import User
from tests.clients import signed_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_is3_20_a_loaded_record_says_when_it_was_recorded(social_worker: User) -> None:
    person = PersonFactory(given_name="Enfys", family_name="Jones")
    text = signed_in(social_worker).get(f"/people/{person.ref}/history").content.decode()
    assert "This record has not been changed since it was recorded on" in text
    assert f"{person.created_at:%Y}" in text
    welsh = signed_in(social_worker, "cy").get(f"/people/{person.ref}/history").content.decode()
    assert "ers iddo gael ei gofnodi ar" in welsh
