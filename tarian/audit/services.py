"""Writing the audit log (IS4) and record versions (IS3). Nothing here ever updates a row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from tarian.agencies.models import User
from tarian.audit.context import current
from tarian.audit.models import AccessEvent, RecordVersion


def _who(user: User | None) -> dict[str, Any]:
    if user is None:
        return {"user": None, "username": "system", "user_display": "Tarian (system)"}
    agency = user.agency
    return {
        "user": user,
        "username": user.username,
        "user_display": str(user),
        "agency_slug": agency.slug if agency else "",
        "agency_name": agency.name if agency else "",
    }


def record_access(
    user: User | None,
    *,
    action: str,
    record_kind: str,
    record_id: str | int = "",
    person_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessEvent:
    ctx = current()
    return AccessEvent.objects.create(
        at=timezone.now(),
        action=action,
        record_kind=record_kind,
        record_id=str(record_id),
        person_id=person_id,
        channel=ctx.channel,
        route=ctx.route,
        purpose=ctx.purpose,
        detail=detail or {},
        **_who(user),
    )


def record_accesses(
    user: User | None,
    *,
    action: str,
    record_kind: str,
    person_ids: Iterable[int],
    detail: dict[str, Any] | None = None,
) -> int:
    """One event per person, written in one statement (a list or search result)."""
    ctx = current()
    now = timezone.now()
    who = _who(user)
    rows = [
        AccessEvent(
            at=now,
            action=action,
            record_kind=record_kind,
            record_id=str(pid),
            person_id=pid,
            channel=ctx.channel,
            route=ctx.route,
            purpose=ctx.purpose,
            detail=detail or {},
            **who,
        )
        for pid in person_ids
    ]
    AccessEvent.objects.bulk_create(rows)
    return len(rows)


def record_version(
    user: User | None,
    *,
    record_kind: str,
    record_id: str | int,
    version: int,
    data: dict[str, Any],
    reason: str,
    person_id: int | None = None,
) -> RecordVersion:
    who = _who(user)
    return RecordVersion.objects.create(
        record_kind=record_kind,
        record_id=str(record_id),
        person_id=person_id,
        version=version,
        data=data,
        changed_at=timezone.now(),
        changed_by=user,
        changed_by_display=who["user_display"],
        agency_name=who.get("agency_name", ""),
        reason=reason,
    )
