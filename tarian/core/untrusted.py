"""What no request may carry into Tarian, however it arrives (IS4; API contract: bad input is a
4xx naming the field, never a 500).

- A NUL character: no Tarian text can hold one, and PostgreSQL refuses it in ``text`` and
  ``jsonb`` (a ``DataError``, so a 500, where SQLite would store it). The web's middleware
  checks the address, cookies, headers and form fields, and the API's JSON parser the body,
  both with ``nul_in``.
- JSON nested deeper than any Tarian payload (``MAX_JSON_DEPTH``): a thousand levels made
  Python's parser, and anything walking the result recursively, raise ``RecursionError``.

Both walks are iterative, so the input cannot exhaust the stack while it is being checked.
"""

from __future__ import annotations

from typing import Any

NUL = "\x00"
# Tarian's deepest payload is a list of objects in an object (three levels); 32 leaves room.
MAX_JSON_DEPTH = 32


def printable_name(name: str) -> str:
    """A field name fit to be shown back, whatever it contains."""
    return name.replace(NUL, "\ufffd") or "__all__"


def nul_in(value: Any, name: str = "") -> str | None:
    """The name of the first field of ``value`` (text, or JSON-like lists and dicts) holding a
    NUL character: ``address.line1``, ``children[0]``; ``name`` for ``value`` itself. None if
    there is none."""
    stack: list[tuple[str, Any]] = [(name, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return printable_name(path)
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                key = str(key)
                child_path = f"{path}.{key}" if path else key
                if NUL in key:
                    return printable_name(child_path)
                stack.append((child_path, child))
        elif isinstance(item, list | tuple):
            stack.extend(
                (f"{path}[{index}]", child) for index, child in reversed(list(enumerate(item)))
            )
    return None


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0, ``[]`` is 1)."""
    deepest = 0
    stack: list[tuple[int, Any]] = [(0, value)]
    while stack:
        depth, item = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((depth + 1, child) for child in children)
    return deepest
