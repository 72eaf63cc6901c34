"""Template filters for the threshold guide's levels of need (FD7)."""

from __future__ import annotations

from django import template

from tarian.procedures.levels import Level

register = template.Library()


@register.filter
def level_title(level: Level, language: str) -> str:
    """A level's title in the given language (Welsh where the guide has it)."""
    return level.title(language)


@register.filter
def level_description(level: Level, language: str) -> str:
    return level.description(language)
