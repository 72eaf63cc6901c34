"""What every page's shell needs: the service name, the user's agency, the language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from tarian.procedures.packs import current_pack


def shell(request: HttpRequest) -> dict[str, Any]:
    language = get_language() or "en"
    user = getattr(request, "user", None)
    agency = getattr(user, "agency", None) if user is not None and user.is_authenticated else None
    unread = 0
    may_restrict = may_export = may_see_referrals = may_record_people = False
    may_see_meetings = may_see_timeliness = False
    if user is not None and user.is_authenticated:
        from tarian.agencies.access import can
        from tarian.agencies.models import Action, RecordKind
        from tarian.deadlines.timeliness import may_read_counts
        from tarian.notifications.services import unread_count

        unread = unread_count(user)
        may_restrict = can(user, RecordKind.RESTRICTION, Action.WRITE)
        may_export = can(user, RecordKind.PERSON, Action.EXPORT)
        may_see_referrals = can(user, RecordKind.REFERRAL, Action.LIST)
        may_record_people = can(user, RecordKind.PERSON, Action.WRITE)
        may_see_meetings = can(user, RecordKind.MEETING, Action.READ)
        may_see_timeliness = may_read_counts(user)
    return {
        "unread_notifications": unread,
        # What the person page's sub-navigation may offer this user (records still check).
        "may_restrict": may_restrict,
        "may_export": may_export,
        "may_see_referrals": may_see_referrals,
        "may_record_people": may_record_people,
        "may_see_meetings": may_see_meetings,
        # QA1: the board's timeliness dashboard (board members, children's services managers).
        "may_see_timeliness": may_see_timeliness,
        "area_name": settings.TARIAN_AREA_NAME,
        "procedures_title": current_pack().title_in(language),
        "current_agency_name": agency.display_name(language) if agency else "",
        "current_language": language,
        "demo_mode": settings.DEBUG,
        "session_idle_seconds": settings.TARIAN_SESSION_IDLE_MINUTES * 60,
        "login_lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
