"""Raising, answering, escalating and withdrawing a professional challenge (PC1; issue 21).

Each function is one transaction that checks, then does (decision 19): the kind of decision is
registered (``about``), the user may see it (else ``NotFound``, the same answer as for a
decision that does not exist) and may act on it (else ``Forbidden``), the written reasons say
something (``core.rationale``), the version read is still current (else ``Conflict``). Then the
challenge and a ``ChallengeStep`` are written, the tier's clock is started, met or stopped
through ``tarian.deadlines`` in the same transaction, the change is audited, and the people who
must act are told in their own language.

Each tier's clock is a ``Deadline`` row (subject kind ``challenge``) on the pack's timescale for
the tier. Escalating stops the tier's row ("escalated to tier N") and starts the next tier's;
resolving meets it; withdrawing stops it. ``escalate_overdue`` escalates each open challenge
whose tier clock is overdue by one tier, once: the new tier's clock is not overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.audit.services import record_version
from tarian.challenges import tiers
from tarian.challenges.about import Challengeable, challengeable, registered
from tarian.challenges.models import Challenge, ChallengeStatus, ChallengeStep, StepKind
from tarian.core.rationale import check_rationale
from tarian.deadlines.models import OPEN, Deadline
from tarian.deadlines.services import meet_clock, start_clock, stop_clock
from tarian.errors import Conflict, Forbidden, NotFound, Refused
from tarian.notifications.services import notify_each

SUBJECT_KIND = "challenge"
RECORD_KIND = "challenge"
NOTIFICATION_KIND = "challenge"
CLOCK_ESCALATED = "escalated by the clock"


def link_to(challenge: Challenge) -> str:
    return f"/challenges/{challenge.pk}"


# Checks ---------------------------------------------------------------------------------------


def _about(kind: str, about_id: object) -> tuple[Challengeable, str]:
    registered_kind = challengeable(kind)
    key = str(about_id or "").strip()
    if not key or len(key) > 64:
        raise Refused("about", _("Say which decision you are challenging."))
    return registered_kind, key


def _reason(text: str, *, field: str = "reason") -> str:
    return check_rationale(
        str(text or ""), field=field, label=_("Reason"),
        ask=_("Say what you disagree with, and why, so that whoever reads it later can act on "
              "it."),
    )


def _answer(text: str, *, resolved: bool) -> str:
    if resolved:
        return check_rationale(
            str(text or ""), field="text", label=_("Response"),
            ask=_("Say what was agreed and why, so the resolution can be read on its own."),
        )
    tidy = " ".join(str(text or "").split())
    if not tidy:
        raise Refused("text", _("Response: nothing is written here. Write your response."))
    return tidy


def _locked(user: User, challenge_id: object, version: int | None) -> tuple[
    Challenge, Challengeable | None
]:
    """The challenge, locked for this transaction, if the user may see it (the raiser, or
    someone who may see what it is about); ``Conflict`` if ``version`` is stale; ``Refused``
    if it is no longer open."""
    try:
        pk = int(str(challenge_id))
    except ValueError:
        raise NotFound from None
    challenge = (
        Challenge.objects.select_for_update().select_related("raised_by", "raised_by_agency")
        .filter(pk=pk).first()
    )
    if challenge is None:
        raise NotFound
    kind = registered(challenge.about_kind)
    sees = kind is not None and challenge.about_id in kind.may_see(user, [challenge.about_id])
    if not sees and challenge.raised_by_id != user.pk:
        raise NotFound
    if version is not None and version != challenge.version:
        raise Conflict(challenge.version)
    if not challenge.is_open:
        raise Refused("__all__", _("This challenge is closed: it was %(status)s.") % {
            "status": ChallengeStatus(challenge.status).label.lower()
        })
    return challenge, kind


def _may_respond(user: User, challenge: Challenge, kind: Challengeable | None) -> bool:
    return kind is not None and kind.may_respond(user, challenge.about_id, challenge.tier)


# Doing ----------------------------------------------------------------------------------------


def _step(
    challenge: Challenge, kind: str, *, by: User | None, at: dt.datetime, text: str = ""
) -> ChallengeStep:
    return ChallengeStep.objects.create(
        challenge=challenge, kind=kind, tier=challenge.tier, by=by,
        by_agency=by.agency if by is not None else None, at=at, text=text,
    )


def _start_tier_clock(
    challenge: Challenge, kind: Challengeable | None, *, at: dt.datetime
) -> Deadline:
    """The tier's clock: the sole responder's when the workflow names one, else the raiser's
    (who is told when it escalates); decision 19."""
    responders = kind.responders(challenge.about_id, challenge.tier) if kind else []
    owner = responders[0] if len(responders) == 1 else challenge.raised_by
    return start_clock(
        timescale=tiers.tier_timescale(challenge.tier).key, subject_kind=SUBJECT_KIND,
        subject_id=challenge.pk, started_at=at, owner=owner,
        agency=owner.agency if owner.agency_id else None,
    )


def _save(challenge: Challenge, user: User | None, fields: Iterable[str], reason: str) -> None:
    challenge.version += 1
    challenge.modified_by = user
    challenge.save(update_fields=[*fields, "version", "modified_by", "modified_at"])
    _audit(challenge, user, reason)


def _audit(challenge: Challenge, user: User | None, reason: str) -> None:
    record_version(
        user, record_kind=RECORD_KIND, record_id=challenge.pk, version=challenge.version,
        data=_data(challenge), reason=reason,
    )


def _data(challenge: Challenge) -> dict[str, Any]:
    return {
        "about": {"kind": challenge.about_kind, "id": challenge.about_id},
        "raised_by": challenge.raised_by.username,
        "raised_by_agency": challenge.raised_by_agency.slug,
        "reason": challenge.reason,
        "tier": challenge.tier,
        "status": challenge.status,
        "resolution": challenge.resolution,
        "resolved_at": challenge.resolved_at.isoformat() if challenge.resolved_at else None,
    }


def _tell_responders(challenge: Challenge, kind: Challengeable | None, *, escalated: bool) -> None:
    if kind is None:
        return
    recipients = [
        user for user in kind.responders(challenge.about_id, challenge.tier)
        if user.pk != challenge.raised_by_id
    ]
    tier = challenge.tier

    def message() -> tuple[str, str]:
        words = {"tier": tier, "what": kind.label()}
        if escalated:
            subject = _("A professional challenge about a %(what)s has reached you at tier "
                        "%(tier)s") % words
        else:
            subject = _("A professional challenge about a %(what)s awaits your response") % words
        body = _("Read the reason and respond, or resolve it, before its tier's time is up: "
                 "otherwise it escalates to the next tier.")
        return subject, body

    notify_each(recipients, kind=NOTIFICATION_KIND, message=message, link=link_to(challenge))


def _tell_raiser(challenge: Challenge, by: User | None, what: str) -> None:
    if by is not None and by.pk == challenge.raised_by_id:
        return
    words = {"tier": challenge.tier}
    texts = {
        "responded": lambda: _("Your professional challenge has a response"),
        "resolved": lambda: _("Your professional challenge is resolved"),
        "escalated": lambda: _("Your professional challenge has escalated to tier %(tier)s")
        % words,
    }

    def message() -> tuple[str, str]:
        return texts[what](), _("Open the challenge to read what happened.")

    notify_each(
        [challenge.raised_by], kind=NOTIFICATION_KIND, message=message, link=link_to(challenge)
    )


def raise_challenge(
    user: User,
    *,
    about_kind: str,
    about_id: str,
    reason: str,
    now: dt.datetime | None = None,
) -> Challenge:
    """``user`` disagrees with a decision and says why: the challenge starts at tier 1, with
    tier 1's clock, and the workflow's responders are told."""
    problems: dict[str, list[str]] = {}
    tidy = ""
    try:
        tidy = _reason(reason)
    except Refused as refused:
        problems.update(refused.errors)
    try:
        kind, key = _about(about_kind, about_id)
    except Refused as refused:
        raise Refused({**refused.errors, **problems}) from None
    if key not in kind.may_see(user, [key]):
        raise NotFound
    if not kind.may_challenge(user, key):
        raise Forbidden
    agency = user.agency
    if agency is None:
        raise Forbidden
    if problems:
        raise Refused(problems)
    at = now or timezone.now()
    with transaction.atomic():
        challenge = Challenge.objects.create(
            about_kind=kind.kind, about_id=key, raised_by=user, raised_by_agency=agency,
            raised_at=at, reason=tidy, tier=1, created_by=user, modified_by=user,
        )
        _step(challenge, StepKind.RAISED, by=user, at=at, text=tidy)
        _start_tier_clock(challenge, kind, at=at)
        _audit(challenge, user, _("Professional challenge raised"))
        _tell_responders(challenge, kind, escalated=False)
    return challenge


def respond(
    user: User,
    *,
    challenge_id: object,
    text: str,
    resolved: bool,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Challenge:
    """A responder at the current tier answers; ``resolved`` ends the challenge (its clock is
    met) with the answer as its resolution, which must give reasons."""
    at = now or timezone.now()
    with transaction.atomic():
        challenge, kind = _locked(user, challenge_id, version)
        if not _may_respond(user, challenge, kind):
            raise Forbidden
        answer = _answer(text, resolved=resolved)
        if resolved:
            challenge.status = ChallengeStatus.RESOLVED
            challenge.resolution, challenge.resolved_at, challenge.resolved_by = answer, at, user
            _step(challenge, StepKind.RESOLVED, by=user, at=at, text=answer)
            meet_clock(subject_kind=SUBJECT_KIND, subject_id=challenge.pk, met_at=at)
            _save(challenge, user, ["status", "resolution", "resolved_at", "resolved_by"],
                  _("Professional challenge resolved"))
        else:
            _step(challenge, StepKind.RESPONDED, by=user, at=at, text=answer)
            _save(challenge, user, [], _("Professional challenge answered"))
        _tell_raiser(challenge, user, "resolved" if resolved else "responded")
    return challenge


def _to_next_tier(
    challenge: Challenge, kind: Challengeable | None, *, by: User | None, at: dt.datetime,
    text: str,
) -> None:
    challenge.tier += 1
    stop_clock(
        subject_kind=SUBJECT_KIND, subject_id=challenge.pk, stopped_at=at,
        reason=f"escalated to tier {challenge.tier}",
    )
    _step(challenge, StepKind.ESCALATED, by=by, at=at, text=text)
    _start_tier_clock(challenge, kind, at=at)
    _save(challenge, by, ["tier"], _("Professional challenge escalated"))
    _tell_responders(challenge, kind, escalated=True)
    _tell_raiser(challenge, by, "escalated")


def escalate(
    user: User,
    *,
    challenge_id: object,
    reason: str,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Challenge:
    """The raiser, or a responder at the current tier, takes the challenge to the next tier,
    saying why. A meeting's chair is a user whose workflow lets them challenge, and escalates
    their own challenge the same way. Beyond the pack's last tier: refused."""
    at = now or timezone.now()
    with transaction.atomic():
        challenge, kind = _locked(user, challenge_id, version)
        if challenge.raised_by_id != user.pk and not _may_respond(user, challenge, kind):
            raise Forbidden
        problems: dict[str, list[str]] = {}
        try:
            tidy = _reason(reason)
        except Refused as refused:
            problems.update(refused.errors)
        if challenge.tier >= tiers.last_tier():
            problems["tier"] = [_(
                "This challenge is at the last tier (%(tier)s): it cannot be escalated further. "
                "It stays open until it is resolved."
            ) % {"tier": tiers.tier_label(challenge.tier)}]
        if problems:
            raise Refused(problems)
        _to_next_tier(challenge, kind, by=user, at=at, text=tidy)
    return challenge


def withdraw(
    user: User,
    *,
    challenge_id: object,
    reason: str,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Challenge:
    """The raiser withdraws their challenge, saying why; its clock stops. The record stays."""
    at = now or timezone.now()
    with transaction.atomic():
        challenge, _kind = _locked(user, challenge_id, version)
        if challenge.raised_by_id != user.pk:
            raise Forbidden
        tidy = " ".join(str(reason or "").split())
        if not tidy:
            raise Refused("reason", _("Reason: say why you are withdrawing the challenge."))
        challenge.status = ChallengeStatus.WITHDRAWN
        _step(challenge, StepKind.WITHDRAWN, by=user, at=at, text=tidy)
        stop_clock(subject_kind=SUBJECT_KIND, subject_id=challenge.pk, stopped_at=at,
                   reason="withdrawn")
        _save(challenge, user, ["status"], _("Professional challenge withdrawn"))
    return challenge


def escalate_overdue(*, now: dt.datetime) -> int:
    """Each open challenge whose current tier's clock is overdue at ``now`` escalates one tier,
    by the clock (a step with no person, "escalated by the clock"); at the last tier it stays
    overdue, for the board to see. Returns how many escalated. Running it again at the same
    ``now`` escalates none: the new tier's clock starts at ``now``."""
    overdue = list(
        Deadline.objects.filter(OPEN, subject_kind=SUBJECT_KIND, due_at__lt=now)
        .values_list("subject_id", "timescale")
    )
    last = tiers.last_tier()
    escalated = 0
    for subject_id, timescale in overdue:
        with transaction.atomic():
            challenge = (
                Challenge.objects.select_for_update()
                .select_related("raised_by", "raised_by_agency")
                .filter(pk=int(subject_id), status=ChallengeStatus.OPEN, tier__lt=last)
                .first()
            )
            if challenge is None or tiers.tier_timescale(challenge.tier).key != timescale:
                continue
            # Read again under the lock: another run may have escalated it already.
            still_overdue = Deadline.objects.filter(
                OPEN, subject_kind=SUBJECT_KIND, subject_id=subject_id, timescale=timescale,
                due_at__lt=now,
            ).exists()
            if not still_overdue:
                continue
            _to_next_tier(challenge, registered(challenge.about_kind), by=None, at=now,
                          text=CLOCK_ESCALATED)
            escalated += 1
    return escalated


def tick_job(now: dt.datetime) -> str:
    """For the ``tarian tick`` command's registry (``register_tick_job("challenges",
    tick_job)``): escalate overdue challenges and say how many."""
    count = escalate_overdue(now=now)
    return f"{count} professional challenge(s) escalated by the clock"
