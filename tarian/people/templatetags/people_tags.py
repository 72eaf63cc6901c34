"""Template filters for the shared record."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from tarian.agencies.models import Agency, RecordKind, Team
from tarian.people import vocabulary
from tarian.people.matching.compare import read_stored
from tarian.procedures.packs import ListItem

register = template.Library()


@register.filter
def in_language(agency: Agency | Team | None) -> str:
    """An agency's or a team's name in the current language (Welsh where it has one)."""
    if agency is None:
        return ""
    return agency.display_name(get_language() or "en")


@register.simple_tag(takes_context=True)
def recorded_agency(context: template.Context, name: str) -> str:
    """An agency's name as the audit log recorded it (its English name at the time) in the
    reader's language: the Welsh name of the agency so named, where it has one (#20 item 11).
    One look-up per name a page shows, and none in English."""
    if not name or (get_language() or "en") != "cy":
        return name
    known = context.render_context.get("tarian_recorded_agencies")
    if not isinstance(known, dict):
        known = {}
        context.render_context["tarian_recorded_agencies"] = known
    if name not in known:
        welsh = (
            Agency.objects.filter(name=name).exclude(name_cy="")
            .values_list("name_cy", flat=True).first()
        )
        known[name] = welsh or name
    return known[name]


@register.filter
def matcher_reason(reason: object) -> str:
    """A reason the matcher kept on a pair of records, in the reader's language (#20 item
    11)."""
    return read_stored(reason)


@register.filter
def end_reason(text: str) -> str:
    """Why an involvement ended: a standard reason in the reader's language, else as written
    (#20 item 11)."""
    return vocabulary.end_reason(text, get_language() or "en")


@register.filter
def record_kind_label(code: str) -> str:
    """The name of a kind of record, translated."""
    try:
        return str(RecordKind(code).label)
    except ValueError:
        return code


@register.filter
def vocab(code: str, list_name: str) -> str:
    """The label of a controlled-list code in the current language (VC2)."""
    if not code:
        return ""
    return vocabulary.label(list_name, code, get_language() or "en")


@register.filter
def item_label(item: ListItem, language: str) -> str:
    """A procedures-pack list item's label in the given language."""
    return item.label(language)


@register.filter
def item_description(item: ListItem, language: str) -> str:
    return item.description(language) or ""
