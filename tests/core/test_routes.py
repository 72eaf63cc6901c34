"""Each app's routes gathered for a channel (#19): fixed addresses before variable ones."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, path, resolve

from tarian.core import routes
from tarian.core.routes import _sort_key


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def test_a_fixed_address_sorts_before_a_variable_one_it_would_also_match() -> None:
    listed = [
        path("people/<str:ref>", _view, name="person"),
        path("people/<str:ref>/edit", _view, name="edit"),
        path("people/new", _view, name="new"),
        path("people/match", _view, name="match"),
        path("referrals/<str:ref>", _view, name="referral"),
        path("referrals/new/autosave", _view, name="autosave"),
    ]
    ordered = [route.name for route in sorted(listed, key=_sort_key)]
    assert ordered.index("new") < ordered.index("person")
    assert ordered.index("match") < ordered.index("person")
    # Apps' own order is kept among routes of the same shape.
    assert ordered.index("person") < ordered.index("referral")


def test_every_app_route_is_reachable_in_the_site() -> None:
    """The gathered routes answer at their addresses: ``people/new`` is the new-person page,
    not a person whose Tarian ID is "new"."""
    assert resolve("/people/new").url_name == "new_person"
    assert resolve("/people/match").url_name == "match"
    assert resolve("/people/TABC12345").url_name == "person"
    assert resolve("/referrals/new").url_name == "new_referral"
    assert resolve("/api/v1/people/match").url_name == "match"
    assert resolve("/api/v1/people/match").namespace == "api"


def test_an_app_without_routes_contributes_none() -> None:
    """Apps with no ``urls.py`` (audit, procedures) are skipped, not an error."""
    pages = routes.app_routes("pages")
    api = routes.app_routes("api")
    assert pages and api
    modules = {getattr(r.callback, "__module__", "") for r in pages + api}
    assert not any(m.startswith(("tarian.audit", "tarian.procedures")) for m in modules)


def test_an_unknown_address_is_not_found() -> None:
    try:
        resolve("/people/TABC12345/nothing-here")
    except Resolver404:
        pass
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("an address no app lists must not resolve")
