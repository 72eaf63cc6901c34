"""Agreeing, completing and flagging agreed actions (SM3; AP3, CP4 reuse them).

- ``agree_action``: a workflow's service records an action agreed in its subject (a strategy
  meeting), inside its own transaction when it has one. The workflow has already checked that
  the user may record actions on that subject; this checks the action itself.
- ``complete_action``: the owner agency (or whom the subject's kind allows, ``may_complete``)
  closes it, only with an outcome.
- ``flag_overdue``: once per action, the owner and the subject's overseers are told that it is
  overdue; run by ``tarian tick``.
Each writes its audit rows (IS3, IS4) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tarian.actions.models import OPEN, ActionStatus, AgreedAction
from tarian.actions.selectors import may_complete, visible_action
from tarian.actions.subjects import action_subject_kind, label_of
from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_access, record_version
from tarian.errors import Conflict, Forbidden, Refused
from tarian.notifications.models import NotificationKind
from tarian.notifications.services import notify_each

RECORD_KIND = "agreed_action"
# Further ahead than this a due date is a slip of the keyboard (2062 for 2026), not a plan.
LONGEST_AHEAD_DAYS = 2 * 366
# How many overdue actions one tick flags (the rest on the next tick), and how many of an
# owner agency's users are told of one with no named owner.
FLAG_BATCH = 200
AGENCY_RECIPIENTS = 25


def action_data(action: AgreedAction) -> dict[str, Any]:
    """What the record history keeps of each version."""
    return {
        "subject_kind": action.subject_kind,
        "subject_id": action.subject_id,
        "description": action.description,
        "owner_agency": action.owner_agency.slug,
        "owner": action.owner.username if action.owner else None,
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        "outcome": action.outcome,
        "completed_at": action.completed_at.isoformat() if action.completed_at else None,
    }


def _audit(user: User, action: AgreedAction, *, how: str, reason: str) -> None:
    record_version(
        user, record_kind=RECORD_KIND, record_id=action.pk, version=action.version,
        data=action_data(action), reason=reason,
    )
    record_access(
        user, action=how, record_kind=RECORD_KIND, record_id=action.pk,
        detail={"subject_kind": action.subject_kind, "subject_id": action.subject_id},
    )


def _clean_due_date(due_date: dt.date | None, today: dt.date) -> str | None:
    if due_date is None:
        return _("Enter the date the action is due")
    if due_date < today:
        return _("The due date must be today or in the future")
    if due_date > today + dt.timedelta(days=LONGEST_AHEAD_DAYS):
        return _("The due date must be within two years")
    return None


def agree_action(
    user: User,
    *,
    subject_kind: str,
    subject_id: object,
    description: str,
    owner_agency: Agency | None,
    owner: User | None = None,
    due_date: dt.date | None,
    today: dt.date | None = None,
) -> AgreedAction:
    """Record an action agreed in a subject, owned by ``owner_agency`` (and ``owner``, one of
    its users, when a person is named), due on ``due_date``. Every problem is refused at once,
    each naming its field."""
    kind, key = str(subject_kind).strip(), str(subject_id).strip()
    if not kind or not key:
        raise ValueError("An agreed action needs a subject kind and a subject id")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    text = (description or "").strip()
    if not text:
        errors["description"] = [_("Describe the action that was agreed")]
    problem = _clean_due_date(due_date, today)
    if problem:
        errors["due_date"] = [problem]
    if owner_agency is None or not owner_agency.is_active:
        errors["owner_agency"] = [_("Choose the agency that will carry out the action")]
    elif owner is not None and (owner.agency_id != owner_agency.pk or not owner.is_active):
        errors["owner"] = [
            _("Choose someone who works for %(agency)s, or leave the person blank")
            % {"agency": owner_agency.name}
        ]
    if errors:
        raise Refused(errors)
    assert owner_agency is not None and due_date is not None
    with transaction.atomic():
        action = AgreedAction.objects.create(
            subject_kind=kind, subject_id=key, description=text, owner_agency=owner_agency,
            owner=owner, due_date=due_date, created_by=user, modified_by=user,
        )
        _audit(user, action, how=AccessAction.CREATE, reason=_("Action agreed"))
    return action


def complete_action(
    user: User,
    *,
    action_id: int,
    outcome: str,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> AgreedAction:
    """Close an action with its outcome (SM3): ``NotFound`` if the user may not see it,
    ``Forbidden`` if they may see it but not complete it, ``Conflict`` if someone changed it
    since ``version`` was read; an action already completed, or no outcome, is refused."""
    with transaction.atomic():
        # Locked while it is checked and changed, so two people completing it at once cannot
        # both succeed: the second waits, then finds it completed.
        action = visible_action(
            user, action_id, AgreedAction.objects.select_for_update(of=("self",))
        )
        if not may_complete(user, action):
            raise Forbidden("agreed_action:complete")
        if version is not None and action.version != version:
            raise Conflict(action.version)
        if not action.is_open:
            assert action.completed_at is not None
            raise Refused("outcome", _("This action was completed on %(date)s.") % {
                "date": formats.date_format(timezone.localtime(action.completed_at), "j F Y")
            })
        text = (outcome or "").strip()
        if not text:
            raise Refused("outcome", _("Enter the outcome: what was done, or why it was not"))
        action.status = ActionStatus.COMPLETED
        action.outcome = text
        action.completed_at = now or timezone.now()
        action.completed_by = user
        action.version += 1
        action.modified_by = user
        action.save(update_fields=[
            "status", "outcome", "completed_at", "completed_by", "version", "modified_by",
            "modified_at",
        ])
        _audit(user, action, how=AccessAction.UPDATE, reason=_("Action completed"))
    return action


def _agency_recipients(agency_ids: set[int]) -> dict[int, list[User]]:
    """Some active users of each agency (one statement per agency, each bounded)."""
    return {
        agency_id: list(
            User.objects.filter(agency_id=agency_id, is_active=True).order_by("pk")[
                :AGENCY_RECIPIENTS
            ]
        )
        for agency_id in sorted(agency_ids)
    }


def _overdue_message(action: AgreedAction, about: str) -> tuple[str, str]:
    # The subject goes by email too: it names no child and says nothing of the action.
    subject = _("An agreed action is overdue")
    body = _(
        "“%(description)s” (%(about)s) was due on %(date)s and has no outcome yet. Record "
        "its outcome when it is done."
    ) % {
        "about": about,
        "date": formats.date_format(action.due_date, "j F Y"),
        "description": action.description,
    }
    return subject, body


def flag_overdue(*, today: dt.date, now: dt.datetime | None = None) -> int:
    """SM3: tell the owner (or, with none named, the owner agency's users) and the subject's
    overseers about each open action due before ``today`` not yet flagged; each is flagged
    once. At most ``FLAG_BATCH`` a run; returns how many were flagged."""
    rows = list(
        AgreedAction.objects.filter(OPEN, flagged_overdue_at__isnull=True, due_date__lt=today)
        .select_related("owner", "owner_agency")
        .select_for_update(of=("self",))
        .order_by("due_date", "pk")[:FLAG_BATCH]
    )
    if not rows:
        return 0
    by_agency = _agency_recipients(
        {row.owner_agency_id for row in rows if row.owner is None or not row.owner.is_active}
    )
    for row in rows:
        recipients: list[User] = (
            [row.owner] if row.owner is not None and row.owner.is_active
            else list(by_agency.get(row.owner_agency_id, []))
        )
        kind = action_subject_kind(row.subject_kind)
        if kind is not None:
            recipients += kind.overseers(row.subject_id)

        def message(row: AgreedAction = row) -> tuple[str, str]:
            return _overdue_message(row, label_of(row.subject_kind))

        notify_each(
            recipients, kind=NotificationKind.GENERAL, message=message,
            link=f"/actions/{row.pk}/complete",
        )
    AgreedAction.objects.filter(pk__in=[row.pk for row in rows]).update(
        flagged_overdue_at=now or timezone.now()
    )
    return len(rows)


def _flag_overdue_job(now: dt.datetime) -> str:
    flagged = flag_overdue(today=timezone.localdate(now), now=now)
    return f"{flagged} overdue agreed action(s) flagged"


def register_tick_jobs() -> None:
    """Called from ``ActionsConfig.ready``."""
    from tarian.operations.tick import register_tick_job

    register_tick_job("actions.flag_overdue", _flag_overdue_job)
