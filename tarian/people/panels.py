"""What other apps show on a person's record page, found by convention.

The record page belongs to ``people``, but much of what a practitioner needs there belongs to
apps built on people (documents today; plans, meetings and alerts later). So that people never
imports them (every import points down, decision 11), an app that has something to show holds
a ``person_panel.py`` with one function, ``panel(user, person) -> Panel | None``: it reads
through its own access rule and returns the template that shows it and what that template
needs, or ``None`` when the user may see nothing of it. The page includes each panel in the
order of ``INSTALLED_APPS``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps

if TYPE_CHECKING:
    from tarian.agencies.models import User
    from tarian.people.models import Person


@dataclass(frozen=True)
class Panel:
    """A template to include on the record page (``person`` and ``record`` are in its context)
    and what it shows, as ``panel``."""

    template: str
    data: dict[str, Any] = field(default_factory=dict)


PanelFunction = Callable[["User", "Person"], Panel | None]


@cache
def panel_functions() -> tuple[PanelFunction, ...]:
    """Every installed Tarian app's ``person_panel.panel``, in ``INSTALLED_APPS`` order."""
    found: list[PanelFunction] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tarian."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.person_panel")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.person_panel":
                raise
            continue
        found.append(module.panel)
    return tuple(found)


def panels_for(user: User, person: Person) -> list[Panel]:
    """The panels this user may see on this person's record page."""
    return [p for p in (function(user, person) for function in panel_functions()) if p is not None]
