"""The Gateway links a child the referrer could not see (issue #20 item 8; FD4, FD6, IS3, IS4).

A referral may name children by the matcher's handles (``unseen.py``). Before deciding, the
Gateway sees which record each one points to, beside what the referrer typed, and either
confirms it (the record becomes one of the referral's children) or rejects it with a reason,
and then may link the right record instead, or leave the child as the referrer described
them. Each is one transaction, like the other services: the Gateway's sharing rule, the
referral locked and its version checked, the record checked against what the Gateway may open,
the change versioned and audited. Nothing of it is told to the referrer.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_accesses, record_version
from tarian.core.rationale import check_rationale
from tarian.errors import Forbidden, NotFound, Refused
from tarian.people.models import Person
from tarian.people.selectors import people_for
from tarian.referrals.models import Referral, UnseenChild, UnseenChildStatus
from tarian.referrals.services import _locked

# The record kind of an unseen child's versions (IS3): "<referral>/<position>", once each.
VERSION_KIND = "unseen_child"


def _waiting_row(user: User, ref: str, unseen_id: int, version: int | None) -> UnseenChild:
    if scope_for(user, RecordKind.GATEWAY_DECISION, Action.WRITE) == Scope.NONE:
        raise Forbidden("gateway_decision:write")
    referral = _locked(user, ref, version, RecordKind.GATEWAY_DECISION)
    row = (
        UnseenChild.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(referral=referral, pk=unseen_id)
        .first()
    )
    if row is None:
        raise NotFound(str(unseen_id))
    row.referral = referral
    if row.status != UnseenChildStatus.WAITING:
        raise Refused("unseen_child", _("This child has already been confirmed or rejected"))
    return row


def _openable(user: User, person: Person, field: str) -> Person:
    """The record, if the Gateway worker may open it: a restricted record they are not named
    on is opened by break-glass first (IS1); a merged one is linked by the record kept."""
    if person.merged_into_id is not None:
        raise Refused(field, _("This record was merged: link the record kept"))
    if not people_for(user).filter(pk=person.pk).exists():
        raise Refused(field, _("Open the record first (a restricted record needs break-glass "
                               "access), then confirm it"))
    return person


def _link(user: User, row: UnseenChild, person: Person | None, moment: dt.datetime) -> None:
    referral: Referral = row.referral
    row.decided_by = user
    row.decided_at = moment
    row.linked = person
    row.save(update_fields=["status", "linked", "decided_by", "decided_at", "reason"])
    if person is not None:
        referral.children.add(person)
    referral.version += 1
    referral.modified_by = user
    referral.save(update_fields=["version", "modified_by", "modified_at"])
    record_version(
        user, record_kind=VERSION_KIND, record_id=f"{referral.ref}/{row.position}", version=1,
        data={
            "status": row.status, "record": row.person.ref,
            "linked": person.ref if person is not None else None, "reason": row.reason,
            "described_as": row.described_as,
            "date_of_birth": row.date_of_birth.isoformat() if row.date_of_birth else None,
        },
        reason=row.reason or _("Confirmed the record of a child the referrer could not see"),
        person_id=person.pk if person is not None else row.person_id,
    )
    people = {row.person_id, *([person.pk] if person is not None else [])}
    record_accesses(
        user, action=AccessAction.UPDATE, record_kind=RecordKind.REFERRAL,
        person_ids=sorted(people), record_ids=[referral.ref for _p in people],
        detail={"unseen_child": row.status, "position": row.position},
    )


@transaction.atomic
def confirm_unseen_child(
    user: User, *, ref: str, unseen_id: int, version: int | None = None,
    now: dt.datetime | None = None,
) -> UnseenChild:
    """The record the handle pointed to is the child the referrer meant: it is added to the
    referral's children."""
    row = _waiting_row(user, ref, unseen_id, version)
    person = _openable(user, row.person, "unseen_child")
    row.status = UnseenChildStatus.CONFIRMED
    _link(user, row, person, now or timezone.now())
    return row


@transaction.atomic
def reject_unseen_child(
    user: User, *, ref: str, unseen_id: int, reason: str, child: str = "",
    version: int | None = None, now: dt.datetime | None = None,
) -> UnseenChild:
    """The record is not the child the referrer meant (``reason``, checked like a rationale).
    ``child``: the Tarian ID of the right record, which the Gateway found or recorded, linked
    instead; without it the child stays as the referrer described them."""
    errors: dict[str, list[str]] = {}
    text = ""
    try:
        text = check_rationale(
            reason, field="reason", label=_("Reason"),
            ask=_("Say what differs between the record and the child the referrer described."),
        )
    except Refused as refused:
        errors.update(refused.errors)
    row = _waiting_row(user, ref, unseen_id, version)
    person: Person | None = None
    if child.strip():
        found = Person.objects.filter(ref=child.strip().upper()).first()
        if found is None or not people_for(user).filter(pk=found.pk).exists():
            errors["child"] = [_("No person you can see has the Tarian ID %(ids)s")
                               % {"ids": child.strip().upper()}]
        elif found.pk == row.person_id:
            errors["child"] = [_("That is the record you are rejecting: confirm it instead")]
        else:
            try:
                person = _openable(user, found, "child")
            except Refused as refused:
                errors.update(refused.errors)
    if errors:
        raise Refused(errors)
    row.status = UnseenChildStatus.REJECTED
    row.reason = text
    _link(user, row, person, now or timezone.now())
    return row
