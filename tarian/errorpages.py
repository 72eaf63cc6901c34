"""Error pages: the API answers in its own JSON error shape even where no API view was reached
(an address that matches no operation, a body too large to read), and the web answers with
the GOV.UK page."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import page_not_found, server_error

API_PREFIX = "/api/"


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"errors": {"__all__": ["Not found."]}}, status=404)
    return page_not_found(request, exception or Exception())


def failed(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"errors": {"__all__": ["Something went wrong on our side. It has been logged."]}},
            status=500,
        )
    return server_error(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django refused before any view could read it: a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many fields or files, or another suspicious request.

    The API answers 400 in its own error shape (``__all__``: the body as a whole), the web with
    Django's 400 page.
    """
    if not request.path.startswith(API_PREFIX):
        return django_bad_request(request, exception or Exception())
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_048_576
        message = _("The request body is too large: send at most %(size).1f MB") % {"size": limit}
    elif isinstance(exception, TooManyFieldsSent):
        message = _("The request has too many fields: send at most %(count)d") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    elif isinstance(exception, TooManyFilesSent):
        message = _("The request has too many files: send at most %(count)d") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    else:
        message = _("The request could not be read.")
    return JsonResponse({"errors": {"__all__": [message]}}, status=400)
