"""A JSON answer for the hottest reads (issue 17, item 7): the bytes REST framework's
``JSONRenderer`` writes for the data, in a plain ``HttpResponse``, without the template response
REST framework's ``Response`` builds and renders for every answer. Only for views whose
content negotiation has already chosen JSON (every API view: ``application/json`` is all the
API answers); errors still go through ``tarian.api.errors``."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer

_RENDERER = JSONRenderer()


def json_answer(data: Any, *, status: int = 200) -> HttpResponse:
    return HttpResponse(
        _RENDERER.render(data), content_type=_RENDERER.media_type, status=status
    )
