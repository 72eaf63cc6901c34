"""FD7: the threshold guide's page for system administrators, and the guide it keeps beside the
referral form and the Gateway decision, in English and Welsh."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from tarian.agencies.models import Agency, User
from tarian.people.models import Person
from tarian.referrals import services as referrals
from tarian.referrals.models import ThresholdLevel
from tarian.referrals.threshold import Guide, current_guide, update_threshold_guide
from tests.clients import signed_in
from tests.factories import UserFactory
from tests.referrals.test_threshold_guide import (
    RATIONALE,
    REASON,
    levels_of,
    new_level,
    referral_about,
)

pytestmark = pytest.mark.django_db
URL = "/settings/threshold-guide"


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A Welsh request leaves Welsh active in this thread; later tests expect English."""
    yield
    translation.deactivate()


@pytest.fixture
def system_admin(childrens_services: Agency) -> User:
    return UserFactory(username="alun", agency=childrens_services, roles=["system_admin"])


def posted(guide: Guide, *extra: dict[str, Any], reason: str = REASON) -> dict[str, Any]:
    """The page's form as a browser posts it: the guide's levels, any extra, a reason."""
    data: dict[str, Any] = {"version": guide.version, "reason": reason}
    for n, level in enumerate([*levels_of(guide), *extra]):
        for name, value in level.items():
            if name == "is_active":
                if value:
                    data[f"level-{n}-is_active"] = "on"
            else:
                data[f"level-{n}-{name}"] = value
    return data


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_fd7_system_admin_is_led_to_the_page_and_sees_the_packs_guide(
    system_admin: User, social_worker: User
) -> None:
    client = signed_in(system_admin)
    assert URL in text(client.get("/"))
    assert URL not in text(signed_in(social_worker).get("/"))
    page = text(client.get(URL))
    assert "This is the guide that comes with the Wales Safeguarding Procedures" in page
    assert 'value="Level 4: child at risk"' in page
    assert 'value="Lefel 4: plentyn mewn perygl"' in page
    assert 'name="level-3-code"' in page and 'data-name="level-%index%-code"' in page
    assert 'data-module="moj-add-another"' in page
    assert 'name="version" value="0"' in page


def test_fd7_saving_the_guide_puts_it_beside_the_referral_form(
    system_admin: User, school_dsl: User
) -> None:
    client = signed_in(system_admin)
    data = posted(current_guide(), new_level())
    data["level-1-title_en"] = "Level 2: early help from the Team Around the Family"
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    page = text(client.get(URL))
    assert "The threshold guide is saved" in page
    assert "Version 1, saved by" in page and REASON in page
    assert current_guide().version == 1
    form = text(signed_in(school_dsl).get("/referrals/new"))
    assert "Level 2: early help from the Team Around the Family" in form
    assert "Level 5: edge of care" in form and "A child who may need to be looked after." in form


@pytest.mark.parametrize("persona", ["team_manager", "social_worker", "school_dsl"])
def test_fd7_others_get_not_found_and_save_nothing(
    persona: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, posted(current_guide(), new_level())).status_code == 404
    assert not ThresholdLevel.objects.exists()


def test_fd7_every_bad_field_is_named_in_the_error_summary(system_admin: User) -> None:
    data = posted(current_guide(), new_level(code="Edge of care", title_cy=""), reason="")
    data["level-0-position"] = "first"
    response = signed_in(system_admin).post(URL, data)
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    for anchor, message in [
        ("id_level-0-position", "Level 1: the position must be a whole number from 1 to 99"),
        ("id_level-4-code", "Level 5: the code must start with a lower-case letter"),
        ("id_level-4-title_cy", "Level 5: enter the title in Welsh"),
        ("id_reason", "Say why you are changing the threshold guide"),
    ]:
        assert f'<a href="#{anchor}">{message}' in page, message
        assert f'id="{anchor}-error"' in page
    # What was typed is kept.
    assert 'value="Edge of care"' in page and 'value="first"' in page
    assert not ThresholdLevel.objects.exists()


def test_fd7_a_level_decisions_record_cannot_be_removed_on_the_page(
    system_admin: User, gateway_worker: User, school_dsl: User, child: Person
) -> None:
    referrals.record_decision(
        gateway_worker, ref=referral_about(child, school_dsl).ref, outcome="assessment",
        rationale=RATIONALE, threshold_level="complex",
    )
    guide = current_guide()
    data = posted(guide)
    for name in ("code", "position", "title_en", "title_cy", "description_en", "description_cy"):
        data[f"level-2-{name}"] = ""  # the row for "complex" emptied: removed
    response = signed_in(system_admin).post(URL, data)
    assert response.status_code == 400
    page = text(response)
    assert ('<a href="#levels">“Level 3: care and support needs” (code complex) is recorded on '
            "1 Gateway decision, so it cannot be removed.") in page
    assert not ThresholdLevel.objects.exists()


def test_fd7_someone_else_saving_first_is_shown_and_nothing_typed_is_lost(
    system_admin: User,
) -> None:
    client = signed_in(system_admin)
    read = current_guide()
    other_admin = UserFactory(first_name="Bethan", last_name="Hughes",
                              agency=system_admin.agency, roles=["system_admin"])
    theirs = levels_of(read)
    theirs[0]["title_en"] = "Level 1: their wording"
    update_threshold_guide(other_admin, levels=theirs, version=0, reason="Their reason")
    mine = posted(read)
    mine["level-0-title_en"] = "Level 1: my wording"
    response = client.post(URL, mine)
    assert response.status_code == 409
    page = text(response)
    assert "Someone else changed the threshold guide while you were editing it" in page
    assert "Version 1, saved by Bethan Hughes" in page and "Their reason" in page
    assert "Level 1: their wording" in page and 'value="Level 1: my wording"' in page
    assert 'name="version" value="1"' in page  # saving again applies on top of theirs
    assert current_guide().levels[0].title_en == "Level 1: their wording"
    again = client.post(URL, {**mine, "version": "1"})
    assert again.status_code == 302
    assert current_guide().levels[0].title_en == "Level 1: my wording"


def test_fd7_add_another_level_without_javascript_adds_an_empty_row(system_admin: User) -> None:
    response = signed_in(system_admin).post(URL, {**posted(current_guide()), "add_level": "1"})
    assert response.status_code == 200
    page = text(response)
    assert 'name="level-4-code" type="text" value=""' in page
    assert 'name="level-4-is_active" type="checkbox" value="on"' in page
    assert "Level 5 of 5" in page and "There is a problem" not in page
    assert not ThresholdLevel.objects.exists()


def test_fd7_decision_form_offers_the_guides_levels_in_use(
    system_admin: User, gateway_worker: User, school_dsl: User, child: Person
) -> None:
    levels = levels_of(current_guide())
    levels[0]["is_active"] = False
    update_threshold_guide(system_admin, levels=[*levels, new_level()], version=0, reason=REASON)
    referral = referral_about(child, school_dsl)
    client = signed_in(gateway_worker)
    page = text(client.get(f"/referrals/{referral.ref}"))
    assert '<option value="edge_of_care">Level 5: edge of care</option>' in page
    assert 'value="universal"' not in page and "Level 1: universal" not in page
    refused = client.post(f"/referrals/{referral.ref}/decision", {
        "version": referral.version, "outcome": "assessment", "rationale": RATIONALE,
        "threshold_level": "universal",
    })
    assert refused.status_code == 400
    decided = client.post(f"/referrals/{referral.ref}/decision", {
        "version": referral.version, "outcome": "assessment", "rationale": RATIONALE,
        "threshold_level": "edge_of_care",
    })
    assert decided.status_code == 302
    referral.refresh_from_db()
    assert referral.decision.threshold_level == "edge_of_care"


def test_fd7_welsh_titles_shown_in_welsh(
    system_admin: User, gateway_worker: User, school_dsl: User, child: Person
) -> None:
    update_threshold_guide(
        system_admin, levels=[*levels_of(current_guide()), new_level()], version=0, reason=REASON
    )
    form = text(signed_in(school_dsl, "cy").get("/referrals/new"))
    assert '<html lang="cy"' in form
    assert "Lefel 5: ar gyrion gofal" in form and "Plentyn a allai fod angen derbyn gofal." in form
    assert "Level 5: edge of care" not in form
    referral = referral_about(child, school_dsl)
    page = text(signed_in(gateway_worker, "cy").get(f"/referrals/{referral.ref}"))
    assert '<option value="edge_of_care">Lefel 5: ar gyrion gofal</option>' in page
    edit = text(signed_in(system_admin, "cy").get(URL))
    assert '<html lang="cy"' in edit
    assert ('name="level-4-title_cy" type="text" value="Lefel 5: ar gyrion gofal"') in edit


def test_fd7_a_post_without_the_version_read_saves_nothing(system_admin: User) -> None:
    data = posted(current_guide(), new_level())
    del data["version"]
    response = signed_in(system_admin).post(URL, data)
    assert response.status_code == 400
    page = text(response)
    assert '<a href="#levels">The page was out of date.' in page
    assert 'name="version" value="0"' in page and 'value="edge_of_care"' in page
    assert not ThresholdLevel.objects.exists()
