"""Finishing touches to the generated OpenAPI schema, so that it documents what the API does.

drf-spectacular describes each view's successful answer; this hook adds, in one place and the
same way for every operation, what the API contract's conventions add to all of them: the
error answers (one shape, ``{"errors": {"<field>": ["..."]}}``) and, for lists, the page
envelope ``{"count", "next", "results"}`` with its ``page`` and ``page_size`` parameters.
"""

from __future__ import annotations

from typing import Any

from tarian.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "description": 'Messages by field name; "__all__" for the request as a whole.',
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "current_version": {
            "type": "integer",
            "description": "On 409: the version now stored. Read it again and re-apply.",
        },
        "restricted": {
            "type": "boolean",
            "description": "On 403: the record is restricted; break-glass access may open it.",
        },
    },
}

ERRORS: dict[str, str] = {
    "400": "Invalid input: each problem named by its field.",
    "401": "No valid bearer token.",
    "403": "Your role may not do this, or the record is restricted to named people.",
    "404": "Not found, or not visible to you.",
}
CONFLICT = "Stale version: someone else changed the record since you read it."

PAGE_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "Page number, from 1 (default 1). Not a whole number from 1: 400; "
        "past the last page: 404.",
        "schema": {"type": "integer", "minimum": 1},
    },
    {
        "name": "page_size",
        "in": "query",
        "required": False,
        "description": f"Items per page, from 1 to {MAX_PAGE_SIZE} (default "
        f"{DEFAULT_PAGE_SIZE}). Outside that range: 400 naming page_size (never clamped).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    },
]


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _page_envelope(items: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": "string", "nullable": True, "format": "uri"},
            "results": items,
        },
    }


def _paginate(operation: dict[str, Any]) -> None:
    ok = operation.get("responses", {}).get("200", {})
    content = ok.get("content", {}).get("application/json")
    if content is None or content.get("schema", {}).get("type") != "array":
        return
    content["schema"] = _page_envelope(content["schema"])
    present = {p["name"] for p in operation.get("parameters", [])}
    operation.setdefault("parameters", []).extend(
        p for p in PAGE_PARAMETERS if p["name"] not in present
    )


def document_conventions(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """``POSTPROCESSING_HOOKS`` entry: error answers and page envelopes for every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if method == "get":
                _paginate(operation)
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, _error(description))
            if method in ("post", "put", "patch") and "{" in path:
                responses.setdefault("409", _error(CONFLICT))
    return result
