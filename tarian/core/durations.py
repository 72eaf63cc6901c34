"""A length of time in words a person reads at a glance, in English or Welsh (FD3, FD4, FD5,
VC2): "2 h 10 min", "1 day 3 h"; "2 awr, 10 munud", "2 ddiwrnod, 3 awr" (#20 item 11: the
numeral mutates the noun after it, through the catalogue's plural forms, and the Welsh parts
are joined with a comma, through the catalogue's joiner).

Clocks say how long is left or how late something is in these words ("due in 2 h 10 min",
"overdue by 1 day 3 h"); the words come from the translation catalogue, so they follow the
language active when they are made (``django.utils.translation.override`` for a notification
composed for someone else).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MINUTES_IN_A_DAY = 24 * 60


def duration_words(length: dt.timedelta) -> str:
    """``length`` (its size: a negative length reads the same) in whole minutes, rounded down.

    From a day up, days and hours ("1 day 3 h"); below a day, hours and minutes ("2 h 10 min");
    under a minute, "less than 1 min". A zero part is left out ("2 h", "3 days").
    """
    minutes = int(abs(length).total_seconds()) // 60
    days, minutes = divmod(minutes, MINUTES_IN_A_DAY)
    hours, minutes = divmod(minutes, 60)
    parts: list[str] = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(_("%(count)d h") % {"count": hours})
    if minutes and not days:
        parts.append(
            ngettext("%(count)d min", "%(count)d min", minutes) % {"count": minutes}
        )
    if not parts:
        return _("less than 1 min")
    if len(parts) == 1:
        return parts[0]
    # Translators: a length of time, the larger part then the smaller ("1 day 3 h").
    return _("%(larger)s %(smaller)s") % {"larger": parts[0], "smaller": parts[1]}
