"""Content negotiation with the common cases answered at once (issue 17, item 7).

Nearly every request to the API asks for JSON, which is all it answers: with no ``Accept``
header, ``*/*`` or ``application/json``, and no ``format`` override, the answer is the JSON
renderer and ``application/json``, exactly what REST framework's negotiation works out by
parsing and ranking the header. Anything else goes through that negotiation unchanged (a
client that accepts only HTML still gets 406).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

PLAIN_ACCEPTS = frozenset({"", "*/*", "application/json"})


class JsonFirstNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: Any = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        if (
            format_suffix is None
            and len(renderers) == 1
            and renderers[0].media_type == "application/json"
            and request.META.get("HTTP_ACCEPT", "").strip() in PLAIN_ACCEPTS
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        found: tuple[BaseRenderer, str] = super().select_renderer(
            request, renderers, format_suffix
        )
        return found
