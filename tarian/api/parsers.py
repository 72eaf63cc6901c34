"""The API's JSON parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``): every endpoint reads its
body through it, so hostile JSON is refused in one place with the API's error shape (#17).

Beyond DRF's parser it refuses, with 400 ``{"errors": {...}}``: JSON nested deeper than
``MAX_JSON_DEPTH`` (``__all__``), and a NUL character or a lone surrogate in any text or a
number too large to be finite (``1e400``), named by its field (``address.line1``). See
``tarian.core.untrusted`` for why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

from tarian.core.untrusted import (
    MAX_JSON_DEPTH,
    json_depth,
    non_finite_in,
    nul_in,
    surrogate_in,
)


def too_deep() -> exceptions.ParseError:
    return exceptions.ParseError(
        _("The request body nests lists or objects more than %(depth)d levels deep")
        % {"depth": MAX_JSON_DEPTH}
    )


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise too_deep() from exc
        if json_depth(data) > MAX_JSON_DEPTH:
            raise too_deep()
        field = nul_in(data)
        if field is not None:
            raise exceptions.ValidationError(
                {field: [_("Remove the NUL character: text cannot contain one")]}
            )
        field = surrogate_in(data)
        if field is not None:
            raise exceptions.ValidationError(
                {field: [_("Remove the character that is not text (a lone surrogate)")]}
            )
        field = non_finite_in(data)
        if field is not None:
            raise exceptions.ValidationError({field: [_("Enter a number of ordinary size")]})
        return data
