"""The web shell: log-in, deny by default, home, search, a child's page, in English and Welsh."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tarian.agencies.models import User
from tarian.audit.models import AccessEvent
from tarian.people.models import Person
from tests.clients import signed_in

pytestmark = pytest.mark.django_db


def _web_paths() -> list[str]:
    """Every web URL pattern, with sample values for its parameters."""
    paths: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            else:
                paths.append("/" + re.sub(r"<[^>]+>", "T00000000", route))

    walk(get_resolver().url_patterns, "")
    return [p for p in paths if not p.startswith("/api/")]


PUBLIC = {"/login", "/i18n/setlang", "/health", "/health/ready"}


@pytest.mark.parametrize("path", [p for p in _web_paths() if p not in PUBLIC])
def test_is1_every_web_page_needs_a_signed_in_user(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302, path
    assert response["Location"].startswith("/login")


def test_login_with_wrong_password_shows_error_summary(client: Client, social_worker: User) -> None:
    response = client.post("/login", {"username": "owain", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The username or password is not right" in html


def test_login_with_empty_fields_names_each_field(client: Client) -> None:
    html = client.post("/login", {"username": "", "password": ""}).content.decode()
    assert 'href="#id_username"' in html and "Enter your username" in html
    assert 'href="#id_password"' in html and "Enter your password" in html


def test_login_then_home_shows_agency_and_search(client: Client, social_worker: User) -> None:
    response = client.post("/login", {"username": "owain", "password": "Tarian-test-password-1"})
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert "Gaerwen Children&#x27;s Services" in html
    assert 'name="q"' in html


def test_board_member_home_has_no_search_and_search_page_is_404(board_member: User) -> None:
    client = signed_in(board_member)
    html = client.get("/").content.decode()
    assert 'name="q"' not in html
    assert client.get("/people/search?q=a").status_code == 404


def test_fd6_search_page_lists_matches(social_worker: User, child: Person) -> None:
    html = signed_in(social_worker).get("/people/search?q=prydderch").content.decode()
    assert f"/people/{child.ref}" in html and "1 person found" in html


def test_fd6_search_partial_for_htmx(social_worker: User, child: Person) -> None:
    response = signed_in(social_worker).get("/people/search?q=gwen", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and f"/people/{child.ref}" in html


def test_child_page_shows_identity_and_involvements(school_dsl: User, child: Person) -> None:
    html = signed_in(school_dsl).get(f"/people/{child.ref}").content.decode()
    assert "PRYDDERCH, Gwenllian" in html
    assert "Ysgol Aberwen" in html
    assert AccessEvent.objects.filter(person_id=child.pk, channel="web", action="view").exists()


def test_is1_other_school_gets_404_page_for_child(other_school_dsl: User, child: Person) -> None:
    response = signed_in(other_school_dsl).get(f"/people/{child.ref}")
    assert response.status_code == 404
    assert "Gwenllian" not in response.content.decode()


def test_is4_who_has_viewed_page_for_team_manager(
    team_manager: User, social_worker: User, child: Person
) -> None:
    signed_in(social_worker).get(f"/people/{child.ref}")
    html = signed_in(team_manager).get(f"/people/{child.ref}/viewed").content.decode()
    assert "Who has viewed this record" in html
    assert str(social_worker) in html


def test_is4_who_has_viewed_page_refused_to_social_worker(
    social_worker: User, child: Person
) -> None:
    assert signed_in(social_worker).get(f"/people/{child.ref}/viewed").status_code == 404


def test_is3_history_page_shows_who_and_why(social_worker: User) -> None:
    from tarian.people.services import create_person, update_person

    person = create_person(
        social_worker, data={"kind": "child", "given_name": "Rhys", "family_name": "Owen"}
    )
    update_person(
        social_worker,
        ref=person.ref,
        version=1,
        changes={"known_as": "Rhysi"},
        reason="Known as Rhysi by the family",
    )
    html = signed_in(social_worker).get(f"/people/{person.ref}/history").content.decode()
    assert "Known as Rhysi by the family" in html and "version 2" in html


def test_vc2_welsh_interface(social_worker: User, child: Person) -> None:
    client = signed_in(social_worker, "cy")
    html = client.get(f"/people/{child.ref}").content.decode()
    assert '<html lang="cy"' in html
    assert "Allgofnodi" in html  # Sign out
    assert "Asiantaethau sy'n ymwneud" in html


def test_vc2_language_switch_sets_welsh(social_worker: User) -> None:
    client = signed_in(social_worker)
    response = client.post("/i18n/setlang", {"language": "cy", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="cy"' in client.get("/").content.decode()


def test_logout_is_post_only_and_ends_session(social_worker: User) -> None:
    client = signed_in(social_worker)
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/").status_code == 302
