"""What workflows show on a meeting's page, found by convention (issue 21; SM7, EQ1).

The meeting's page belongs to ``meetings``, a shared mechanism that names no workflow; what a
workflow started from a meeting (Section 47 enquiries from a strategy meeting's decision) is
shown by that workflow. An app that has something to show holds a ``meeting_panel.py`` with one
function, ``panel(user, record) -> Panel | None``: it reads through its own access rule, in a
fixed number of statements, and returns the template that shows it and what that template
needs (``panel`` in its context), or ``None`` when there is nothing for this reader. Panels are
included after the decisions, in the order of ``INSTALLED_APPS``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from django.apps import apps

from tarian.people.panels import Panel

if TYPE_CHECKING:
    from tarian.agencies.models import User
    from tarian.meetings.selectors import MeetingRecord

__all__ = ["Panel", "panels_for"]

PanelFunction = Callable[["User", "MeetingRecord"], Panel | None]


@cache
def panel_functions() -> tuple[PanelFunction, ...]:
    """Every installed Tarian app's ``meeting_panel.panel``, in ``INSTALLED_APPS`` order."""
    found: list[PanelFunction] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tarian."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.meeting_panel")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.meeting_panel":
                raise
            continue
        found.append(module.panel)
    return tuple(found)


def panels_for(user: User, record: MeetingRecord) -> list[Panel]:
    """The panels this reader may see on this meeting's page."""
    return [p for p in (function(user, record) for function in panel_functions()) if p is not None]
