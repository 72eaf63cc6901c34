"""Restricted records: named access, and break-glass access that demands a reason (IS1, IS4).

A restricted record (a staff member's own family, a high-profile case) is hidden from everyone
whose sharing rules would otherwise show it, unless they are named on it. Someone who would
otherwise see it may "break the glass": they must say why, the access lasts a few hours, it is
audited, and the team managers of their agency and the people named on the record are alerted.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_access, record_version
from tarian.errors import Forbidden, NotFound, Refused
from tarian.notifications.models import NotificationKind
from tarian.notifications.services import notify_each
from tarian.people.models import BreakGlass, Person, RestrictedAccess

MIN_REASON_CHARACTERS = 20


def restriction_filter(user: User, now: dt.datetime | None = None) -> Q:
    """Rows the user may see as far as restriction goes: unrestricted, named, or glass broken."""
    moment = now or timezone.now()
    named = RestrictedAccess.objects.filter(person=OuterRef("pk"), user=user)
    broken = BreakGlass.objects.filter(person=OuterRef("pk"), user=user, expires_at__gt=moment)
    return Q(is_restricted=False) | Q(Exists(named)) | Q(Exists(broken))


@transaction.atomic
def break_glass(user: User, *, person: Person, reason: str) -> BreakGlass:
    """Open a restricted record the user's role would otherwise let them see.

    ``person`` must come from the user's unrestricted scope (``people.selectors``).
    """
    text = " ".join(reason.split())
    if len(text) < MIN_REASON_CHARACTERS:
        raise Refused(
            "reason",
            _(
                "Say why you need to see this record now (at least %(count)s characters): "
                "your reason is recorded and your manager is told"
            )
            % {"count": MIN_REASON_CHARACTERS},
        )
    now = timezone.now()
    grant = BreakGlass.objects.create(
        person=person,
        user=user,
        reason=text,
        opened_at=now,
        expires_at=now + dt.timedelta(hours=settings.TARIAN_BREAK_GLASS_HOURS),
    )
    record_access(
        user,
        action=AccessAction.BREAK_GLASS,
        record_kind=RecordKind.PERSON,
        record_id=person.ref,
        person_id=person.pk,
        detail={"reason": text},
    )
    managers = User.objects.filter(
        agency=user.agency, roles__code="team_manager", is_active=True
    ).exclude(pk=user.pk)
    named = User.objects.filter(restricted_access__person=person, is_active=True)
    def message() -> tuple[str, str]:
        # In each reader's language (VC2, #20 item 11): the agency by its Welsh name, if any.
        words = {
            "who": user,
            "agency": user.agency.display_name(get_language() or "en") if user.agency else "-",
            "ref": person.ref,
            "when": formats.date_format(timezone.localtime(now), "j M Y H:i"),
            "reason": text,
        }
        return (
            _("%(who)s opened a restricted record") % words,
            _("%(who)s (%(agency)s) used break-glass access to restricted record %(ref)s at "
              "%(when)s. Their reason: %(reason)s") % words,
        )

    notify_each(
        [*managers, *named], kind=NotificationKind.BREAK_GLASS, message=message,
        link=f"/people/{person.ref}/viewed",
    )
    return grant


@transaction.atomic
def set_restriction(
    user: User, *, person: Person, restricted: bool, reason: str, named_usernames: list[str]
) -> Person:
    """Restrict (or lift the restriction on) a record and name who may see it."""
    if scope_for(user, RecordKind.RESTRICTION, Action.WRITE) != Scope.ALL:
        raise Forbidden("restriction:write")
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Say why the record is being restricted or opened up")]
    named = list(User.objects.filter(username__in=named_usernames, is_active=True))
    missing = sorted(set(named_usernames) - {u.username for u in named})
    if missing:
        errors["named"] = [
            _("No active user with username: %(names)s") % {"names": ", ".join(missing)}
        ]
    if errors:
        raise Refused(errors)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    locked.is_restricted = restricted
    locked.version += 1
    locked.modified_by = user
    locked.save(update_fields=["is_restricted", "version", "modified_by", "modified_at"])
    now = timezone.now()
    RestrictedAccess.objects.filter(person=locked).exclude(user__in=named).delete()
    for named_user in [user, *named] if restricted else []:
        RestrictedAccess.objects.get_or_create(
            person=locked,
            user=named_user,
            defaults={"granted_by": user, "granted_at": now, "reason": reason.strip()},
        )
    record_version(
        user,
        record_kind=RecordKind.RESTRICTION,
        record_id=locked.ref,
        version=locked.version,
        data={
            "restricted": restricted,
            "named": sorted([user.username, *named_usernames]) if restricted else [],
        },
        reason=reason.strip(),
        person_id=locked.pk,
    )
    record_access(
        user,
        action=AccessAction.RESTRICT,
        record_kind=RecordKind.PERSON,
        record_id=locked.ref,
        person_id=locked.pk,
        detail={"restricted": restricted},
    )
    return locked


def restriction_of(
    user: User, ref: str, *, audited: bool = True
) -> tuple[Person, list[RestrictedAccess]]:
    """A record and who is named on it, for a manager who may restrict records; ``NotFound``
    for anyone else and for a record they may not see. Showing it is audited (IS4) unless
    ``audited`` is false (a form posted: what it does is audited instead)."""
    from tarian.people.selectors import person_for

    if scope_for(user, RecordKind.RESTRICTION, Action.WRITE) != Scope.ALL:
        raise NotFound(ref)
    person = person_for(user, ref)
    named = list(
        RestrictedAccess.objects.filter(person=person).select_related("user").order_by("user")
    )
    if audited:
        audit_restriction_shown(user, person)
    return person, named


def audit_restriction_shown(user: User, person: Person) -> None:
    record_access(
        user,
        action=AccessAction.VIEW,
        record_kind=RecordKind.RESTRICTION,
        record_id=person.ref,
        person_id=person.pk,
    )


def open_restricted_record(user: User, *, ref: str, reason: str) -> BreakGlass:
    """Break the glass on a restricted record, by Tarian ID; ``NotFound`` outside the scope."""
    from tarian.people.selectors import people_in_scope

    person = people_in_scope(user, Action.READ).filter(ref=ref, is_restricted=True).first()
    if person is None:
        raise NotFound(ref)
    return break_glass(user, person=person, reason=reason)
