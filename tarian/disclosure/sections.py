"""Every app's subject access sections, found by convention (IS4, PC2; issue 18, item 7).

Each installed Tarian app may hold a ``disclosure`` module declaring its sections
(``tarian.core.disclosure.disclosure_section``) and, as ``NOT_DISCLOSED``, the models about a
person it leaves out and why. They are imported here, as Django's admin finds ``admin.py``: a
new workflow adds its ``disclosure.py`` and its records are in every export, without editing
this app. ``tests/disclosure/test_sections.py`` fails for a model about a person that no
section discloses nor explains.
"""

from __future__ import annotations

import importlib
from functools import cache

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

from tarian.core.disclosure import NotDisclosed, Section

_SECTIONS: dict[str, Section] = {}
_NOT_DISCLOSED: dict[str, str] = {}


@cache
def _discover() -> None:
    found: dict[str, Section] = {}
    left_out: dict[str, str] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("tarian.") or not module_has_submodule(
            config.module, "disclosure"
        ):
            continue
        module = importlib.import_module(f"{config.name}.disclosure")
        for value in vars(module).values():
            # A section imported from another app's module is that app's, found there.
            if not isinstance(value, Section) or value.gather.__module__ != module.__name__:
                continue
            if value.key in found:
                raise ImproperlyConfigured(
                    f"Two subject access sections are called {value.key!r} "
                    f"({found[value.key].gather.__module__} and {module.__name__})"
                )
            found[value.key] = value
        entries: list[NotDisclosed] = getattr(module, "NOT_DISCLOSED", [])
        left_out |= {entry.model._meta.label_lower: entry.reason for entry in entries}
    # Filled once everything was found, so that a failed import leaves nothing half-registered.
    _SECTIONS.update(found)
    _NOT_DISCLOSED.update(left_out)


def sections() -> list[Section]:
    """Every app's sections (each installed app's ``disclosure`` module), in order."""
    _discover()
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def disclosed_models() -> dict[str, str]:
    """Every model label accounted for: the section disclosing it, or why none does."""
    _discover()
    found = {
        model._meta.label_lower: section.key
        for section in _SECTIONS.values()
        for model in section.records
    }
    return {**{label: f"not disclosed: {why}" for label, why in _NOT_DISCLOSED.items()}, **found}
