"""#20 item 11: the synthetic Gaerwen agencies and their teams have Welsh names, and teams
seeded before they had one are given it."""

from __future__ import annotations

import pytest

from tarian.agencies.models import Agency, Team
from tarian.seed.agencies import CHILDRENS_SERVICES, CORE, POLICE, ensure_agencies

pytestmark = pytest.mark.django_db


def test_issue20_seeded_agencies_and_teams_have_welsh_names() -> None:
    Team.objects.create(
        agency=Agency.objects.create(slug=POLICE, name="Gaerwen Police", type="police"),
        name="Central Referral Unit",
    )
    ids = ensure_agencies(CORE)
    assert Agency.objects.get(slug=CHILDRENS_SERVICES).display_name("cy") == (
        "Gwasanaethau Plant Gaerwen"
    )
    gateway = Team.objects.get(pk=ids.teams[(CHILDRENS_SERVICES, "Gateway")])
    assert gateway.display_name("cy") == "Y Porth" and gateway.display_name("en") == "Gateway"
    unit = Team.objects.get(agency__slug=POLICE, name="Central Referral Unit")
    assert unit.display_name("cy") == "Uned Atgyfeirio Ganolog"
    assert not Team.objects.filter(name_cy="").exists()
