"""One place where the services' refusals become pages (the API has ``api/errors.py``).

A view lets :class:`~tarian.errors.NotFound` and :class:`~tarian.errors.Forbidden` rise: both
become the same 404 page, so that a record the user may not act on never reveals that it
exists (IS1). :class:`~tarian.errors.Restricted` (a record the user's role would show but that
is restricted to named people) sends them to break the glass for that record. ``Refused`` and
``Conflict`` stay with the view: they are answered on the form the user filled in, with the
field and the problem, and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from tarian.agencies.models import User
from tarian.errors import Forbidden, NotFound, Restricted


def user_of(request: HttpRequest) -> User:
    """The signed-in user (``LoginRequiredMiddleware`` lets no anonymous request reach a view)."""
    user = request.user
    assert isinstance(user, User)
    return user


class RefusalMiddleware:
    """Maps the domain's refusals raised by a page to the page that answers them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Restricted):
            return HttpResponseRedirect(reverse("web:break_glass", args=[exception.ref]))
        if isinstance(exception, NotFound | Forbidden):
            # Raised here, Django answers with the site's 404 page (``handler404``).
            raise Http404 from exception
        return None
