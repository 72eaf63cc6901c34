"""What no request may carry into Tarian, however it arrives (IS4; API contract: bad input is a
4xx naming the field, never a 500).

- A NUL character: no Tarian text can hold one, and PostgreSQL refuses it in ``text`` and
  ``jsonb`` (a ``DataError``, so a 500, where SQLite would store it). The web's middleware
  checks the address, cookies, headers and form fields, and the API's JSON parser the body,
  both with ``nul_in``.
- JSON nested deeper than any Tarian payload (``MAX_JSON_DEPTH``): a thousand levels made
  Python's parser, and anything walking the result recursively, raise ``RecursionError``.
- A lone surrogate (``"\\ud800"``): Python's JSON reader lets it through, and a field
  echoing it in its error message made the response itself fail to encode (a 500).
- An infinite number: JSON has none, but Python reads ``1e400`` as one, which a text field
  then took as the name "inf" and PostgreSQL's ``jsonb`` would refuse.

The walks are iterative, so the input cannot exhaust the stack while it is being checked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

NUL = "\x00"
SURROGATE = re.compile(r"[\ud800-\udfff]")
# Tarian's deepest payload is a list of objects in an object (three levels); 32 leaves room.
MAX_JSON_DEPTH = 32


def printable_name(name: str) -> str:
    """A field name fit to be shown back, whatever it contains."""
    return name.replace(NUL, "\ufffd") or "__all__"


def nul_in(value: Any, name: str = "") -> str | None:
    """The name of the first field of ``value`` (text, or JSON-like lists and dicts) holding a
    NUL character, in its text or its key: ``address.line1``, ``children[0]``; ``name`` for
    ``value`` itself. None if there is none."""
    return first_field(value, lambda item: isinstance(item, str) and NUL in item, name)


def surrogate_in(value: Any, name: str = "") -> str | None:
    """The name of the first field of ``value`` holding a lone surrogate (``"\\ud800"`` in JSON
    is one): no text encodes it, so echoing it back in an error would fail too."""
    return first_field(
        value, lambda item: isinstance(item, str) and bool(SURROGATE.search(item)), name
    )


def non_finite_in(value: Any, name: str = "") -> str | None:
    """The name of the first field of ``value`` that is an infinite number (JSON has none, but
    Python reads ``1e400`` as one), as ``nul_in`` names it."""
    return first_field(
        value, lambda item: isinstance(item, float) and not math.isfinite(item), name
    )


def first_field(value: Any, bad: Callable[[Any], bool], name: str = "") -> str | None:
    """The path of the first scalar (or dict key) in ``value`` for which ``bad`` is true."""
    stack: list[tuple[str, Any]] = [(name, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                child_path = f"{path}.{key}" if path else str(key)
                if bad(key):
                    return printable_name(child_path)
                stack.append((child_path, child))
        elif isinstance(item, list | tuple):
            stack.extend(
                (f"{path}[{index}]", child) for index, child in reversed(list(enumerate(item)))
            )
        elif bad(item):
            return printable_name(path)
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
