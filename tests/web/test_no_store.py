"""No answer holding personal data may be kept by a browser or proxy cache (#18 item 4, IS1).

Every GET page and endpoint (the query-count test's table, which fails when a URL has no
entry) is called as a user who may use it, and again as one that finds nothing there (an
unknown Tarian ID: 404) — each answer must say ``Cache-Control: no-store``, as must refusals,
redirects to log in, API errors and a NUL refused by middleware. Static files and health checks
keep their own caching.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests import test_query_counts
from tests.test_query_counts import READS, World

pytestmark = pytest.mark.django_db
world = test_query_counts.world  # its seeded world, as a fixture here too

UNKNOWN_REF = "TZZZZZZZZ"


def _no_store(response: object, what: str) -> str | None:
    header = getattr(response, "headers", {}).get("Cache-Control", "")
    if "no-store" in header:
        return None
    return f"{what}: {getattr(response, 'status_code', '?')} with Cache-Control {header!r}"


def _get(client: Client, path: str) -> object:
    response = client.get(path, headers={"HX-Request": "true"} if "match" in path else {})
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response


def test_is1_every_page_and_endpoint_says_no_store_also_when_refusing(world: World) -> None:
    problems = []
    refusals = 0
    for read in READS:
        client = world.web(read.username) if read.channel == "web" else world.api(read.username)
        path = read.path(world)
        response = _get(client, path)
        assert response.status_code == read.status, (path, response.status_code)
        problems.append(_no_store(response, f"{read.channel} {path} as {read.username}"))
        if world.child.ref in path:
            missing = _get(client, path.replace(world.child.ref, UNKNOWN_REF))
            refusals += missing.status_code == 404  # (a new referral's form just shows the ID)
            problems.append(_no_store(missing, f"{read.channel} {path} for an unknown ID"))
    assert refusals > 10
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)


def test_is1_api_errors_redirects_and_middleware_refusals_say_no_store(world: World) -> None:
    api = world.api("gateway")
    answers = {
        "API 400 naming a parameter": (api.get("/api/v1/referrals?status=nonsense"), 400),
        "API 400 for a bad page": (api.get("/api/v1/people?page=0"), 400),
        "API without a token": (Client().get("/api/v1/people"), 401),
        "page before log-in": (Client().get(f"/people/{world.child.ref}"), 302),
        "log-in page": (Client().get("/login"), 200),
        "NUL refused": (world.web("social.worker").get("/people/search?q=a%00b"), 400),
        "page that does not exist": (world.web("social.worker").get("/no/such/page"), 404),
    }
    problems = []
    for what, (response, status) in answers.items():
        assert response.status_code == status, (what, response.status_code)
        problems.append(_no_store(response, what))
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)


def test_is1_static_files_and_health_keep_their_own_caching(client: Client) -> None:
    css = client.get("/static/web/tarian.css")
    assert css.status_code == 200
    assert "no-store" not in css.headers.get("Cache-Control", "")
    health = client.get("/health")
    # Django's never_cache on the health checks, unchanged.
    assert "max-age=0" in health.headers["Cache-Control"]
    b"".join(css.streaming_content)  # type: ignore[attr-defined]
