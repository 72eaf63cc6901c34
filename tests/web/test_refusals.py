"""One refusal mapping for pages (#19, IS1): what a page raises becomes the same answer
everywhere — a record the user may not see or act on is the plain 404 page, never a hint that
it exists; a restricted record sends them to break the glass."""

from __future__ import annotations

import pytest
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from tarian.errors import Conflict, Forbidden, NotFound, Refused, Restricted
from tarian.web.refusals import RefusalMiddleware


def _middleware() -> RefusalMiddleware:
    return RefusalMiddleware(lambda request: HttpResponse())


def _request() -> HttpRequest:
    return RequestFactory().get("/people/TABC12345")


@pytest.mark.parametrize("refusal", [NotFound(), Forbidden()])
def test_is1_not_found_and_forbidden_are_the_same_404(refusal: Exception) -> None:
    with pytest.raises(Http404):
        _middleware().process_exception(_request(), refusal)


def test_is1_restricted_sends_the_user_to_break_the_glass_for_that_record() -> None:
    response = _middleware().process_exception(_request(), Restricted("TXYZ98765"))
    assert response is not None
    assert response.status_code == 302
    assert response["Location"] == "/people/TXYZ98765/break-glass"


@pytest.mark.parametrize("other", [Refused("name", "Enter a name"), Conflict(3), ValueError()])
def test_refusals_answered_on_the_form_are_left_to_the_view(other: Exception) -> None:
    """``Refused`` and ``Conflict`` are shown on the form the user filled in; anything else is
    Django's to handle (a 500 logged)."""
    assert _middleware().process_exception(_request(), other) is None


@pytest.mark.django_db
def test_is1_a_page_raising_not_found_answers_the_sites_404_page(client, social_worker) -> None:  # type: ignore[no-untyped-def]
    client.force_login(social_worker)
    response = client.get("/people/TZZZZZZZZ")
    assert response.status_code == 404
    assert b"Page not found" in response.content or b"not found" in response.content.lower()
