"""The dashboard's choice of months and timescale (QA1). The form only carries what was asked
for; which months and timescales are allowed is ``timeliness.parse_period``'s rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tarian.deadlines.timeliness import add_months, month_code, this_month, timescale_choices
from tarian.procedures.clocks import LONDON

# The months offered in the lists: four years back, and six months ahead (clocks already
# started fall due then).
MONTHS_BACK = 48
MONTHS_AHEAD = 6


class AnyChoice(forms.ChoiceField):
    """A list to choose from whose value is checked by the selector, not here, so that a value
    typed into the address is refused with the selector's message, naming the field."""

    def validate(self, value: Any) -> None:
        return None


def month_choices(
    now: dt.datetime, also: tuple[dt.date, ...] = ()
) -> list[tuple[str, str]]:
    """Months as ``(YYYY-MM, "April 2026")``, newest first, named in the active language; the
    months in ``also`` (those asked for, further back or ahead) are offered too."""
    current = this_month(now.astimezone(LONDON))
    months = {add_months(current, offset) for offset in range(-MONTHS_BACK, MONTHS_AHEAD + 1)}
    return [
        (month_code(month), date_format(month, "F Y"))
        for month in sorted(months | set(also), reverse=True)
    ]


class PeriodForm(forms.Form):
    since = AnyChoice(label=_("First month"), required=False)
    until = AnyChoice(label=_("Last month"), required=False)
    timescale = AnyChoice(label=_("Timescale"), required=False)

    def __init__(
        self, *args: Any, now: dt.datetime, also: tuple[dt.date, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        months = month_choices(now, also)
        lists: dict[str, list[tuple[str, str]]] = {"since": months, "until": months,
                 "timescale": [("", str(_("All timescales"))), *timescale_choices()]}
        for name, choices in lists.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
