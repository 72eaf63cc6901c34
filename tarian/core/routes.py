"""Each app's routes, gathered for the two channels.

An app that has pages or endpoints holds a ``urls.py`` with two lists, ``pages`` (included
under the ``web:`` namespace) and ``api`` (under ``api:``, at ``/api/v1/``). The shell's and
the API framework's URL modules call :func:`app_routes` instead of naming each app, so a new
bounded context adds its routes without editing a shared file.

Routes are ordered so that a fixed address is tried before a variable one that would also
match it (``people/new`` before ``people/<str:ref>``), whatever order the apps are listed in:
Django tries patterns in order and stops at the first match.
"""

from __future__ import annotations

import importlib
import re
from typing import Literal

from django.apps import apps
from django.urls import URLPattern, URLResolver

Channel = Literal["pages", "api"]
Route = URLPattern | URLResolver

_VARIABLE = re.compile(r"<[^>]+>")


def _segments(route: Route) -> list[str]:
    return str(route.pattern).strip("^$/").split("/")


def _sort_key(route: Route) -> tuple[tuple[int, str], ...]:
    # Segment by segment: a fixed segment sorts before a variable one, so "people/new" and
    # "people/match" come before "people/<str:ref>", and "people/<str:ref>/edit" stays apart
    # from "people/<str:ref>". Ties keep the apps' own order (the sort is stable).
    return tuple((1, "") if _VARIABLE.search(part) else (0, "") for part in _segments(route))


def app_routes(channel: Channel) -> list[Route]:
    """Every installed Tarian app's routes for one channel, fixed addresses first."""
    routes: list[Route] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tarian."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.urls":
                raise
            continue
        routes.extend(getattr(module, channel, []))
    return sorted(routes, key=_sort_key)
