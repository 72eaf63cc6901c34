"""MoJ Frontend's sortable table in the reader's language (VC2, #20 item 11).

The component's own words ("column headers with buttons are sortable", "Sort by … (ascending)")
are English in its script; these tags give it the catalogue's words instead: the attributes it
reads its status message from, and the caption's hint (which it adds only when the caption has
none of its own).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def sortable_table() -> SafeString:
    """The attributes of a ``<table>`` that MoJ Frontend makes sortable."""
    return format_html(
        'data-module="moj-sortable-table" data-status-message="{}" data-ascending-text="{}" '
        'data-descending-text="{}"',
        # Translators: read out when a column is sorted; keep %heading% and %direction%.
        _("Sort by %heading% (%direction%)"),
        _("ascending"),
        _("descending"),
    )


@register.simple_tag
def sortable_hint() -> SafeString:
    """The hint a screen reader hears after a sortable table's caption."""
    return format_html(
        '<span class="govuk-visually-hidden"> {}</span>',
        _("(column headers with buttons are sortable)."),
    )
