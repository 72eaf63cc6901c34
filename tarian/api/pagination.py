"""Lists are paginated as ``{"results": [...], "next": ..., "count": ...}`` (API contract).

``page`` and ``page_size`` are checked, not guessed at: a page size over ``max_page_size`` or
a page that is not a whole number from 1 is refused with 400 naming the parameter (#17), as
the schema documents (``tarian.api.schema``). A page past the last one is 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from tarian.errors import Refused

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _whole_number(raw: str) -> int | None:
    """``raw`` as a whole number from 1, or None (digits only: no sign, space or exponent)."""
    if not (raw.isascii() and raw.isdigit()):
        return None
    try:
        number = int(raw)
    except ValueError:  # more digits than Python converts
        return None
    return number if number >= 1 else None


class PagePagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get("page_size", "")
        if raw == "":
            return DEFAULT_PAGE_SIZE
        size = _whole_number(raw)
        if size is None or size > MAX_PAGE_SIZE:
            raise Refused(
                "page_size",
                _("Enter a page size from 1 to %(max)d") % {"max": MAX_PAGE_SIZE},
            )
        return size

    def get_page_number(self, request: Request, paginator: Paginator[Any]) -> int:
        raw = request.query_params.get("page", "")
        if raw == "":
            return 1
        number = _whole_number(raw)
        if number is None:
            raise Refused("page", _("Enter a page number: a whole number from 1"))
        return number

    def page_of(self, items: Sequence[T], request: Request) -> list[T]:
        """One page of a list already read (DRF's typing allows only querysets)."""
        page: list[T] | None = self.paginate_queryset(items, request)  # type: ignore[arg-type]
        assert page is not None
        return list(page)

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        return Response(
            {"count": self.page.paginator.count, "next": self.get_next_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
