"""Reading professional challenges (PC1; issue 21): always as a user, by the access rules of
what each challenge is about (the workflow's ``may_see``), never by the challenge's own kind
alone, so that a challenge never shows a decision its reader may not open (the chronology's
lesson). Whoever raised a challenge may always read it.

Each read loads the challenges, their steps and their people in a fixed number of statements
(one for the challenges with the open tier clock's due time, one for the steps), plus one
``may_see`` call per kind of decision, however many there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.translation import get_language

from tarian.agencies.models import User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_access
from tarian.challenges import tiers
from tarian.challenges.about import Subject, registered
from tarian.challenges.models import Challenge, ChallengeStatus, ChallengeStep
from tarian.challenges.services import RECORD_KIND, SUBJECT_KIND
from tarian.deadlines.models import OPEN, Deadline
from tarian.errors import NotFound


def with_parts(challenges: QuerySet[Challenge]) -> QuerySet[Challenge]:
    """Challenges with who raised them, their steps (and who took each) and ``due_at``: when
    the open tier clock is due (None once closed)."""
    due = Deadline.objects.filter(
        OPEN, subject_kind=SUBJECT_KIND,
        subject_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("-started_at", "-pk").values("due_at")[:1]
    return challenges.select_related(
        "raised_by", "raised_by_agency", "resolved_by"
    ).prefetch_related(
        Prefetch(
            "steps",
            queryset=ChallengeStep.objects.select_related("by", "by_agency").order_by("at", "pk"),
        )
    ).annotate(due_at=Subquery(due))


def _seen_by(user: User, challenges: Iterable[Challenge]) -> list[Challenge]:
    """Those the user raised or may see what they are about: one ``may_see`` per kind."""
    rows = list(challenges)
    wanted: dict[str, set[str]] = {}
    for challenge in rows:
        wanted.setdefault(challenge.about_kind, set()).add(challenge.about_id)
    visible: dict[str, set[str]] = {}
    for kind_code, ids in wanted.items():
        kind = registered(kind_code)
        visible[kind_code] = kind.may_see(user, sorted(ids)) if kind else set()
    return [
        challenge for challenge in rows
        if challenge.raised_by_id == user.pk or challenge.about_id in visible[challenge.about_kind]
    ]


def visible_challenges(user: User, ids: Iterable[int]) -> list[tuple[Challenge, str]]:
    """The challenges of ``ids`` the user may see, each with what it is about in words."""
    rows = _seen_by(user, Challenge.objects.filter(pk__in=list(ids)))
    return [(challenge, about_label(challenge.about_kind)) for challenge in rows]


def about_label(kind_code: str) -> str:
    kind = registered(kind_code)
    return kind.label() if kind else kind_code


def challenges_about(user: User, about_kind: str, about_id: str) -> list[Challenge]:
    """Every challenge about one decision, newest first, with its steps: all of them for a user
    who may see the decision, else only those the user raised."""
    kind = registered(about_kind)
    key = str(about_id)
    rows = Challenge.objects.filter(about_kind=about_kind, about_id=key)
    if kind is None or key not in kind.may_see(user, [key]):
        rows = rows.filter(raised_by=user)
    return list(with_parts(rows))


def challenge_for(user: User, challenge_id: object) -> Challenge:
    """One challenge with its steps, if the user raised it or may see what it is about;
    otherwise ``NotFound`` (the same answer as for one that does not exist). The read is
    audited."""
    try:
        pk = int(str(challenge_id))
    except ValueError:
        raise NotFound from None
    challenge = with_parts(Challenge.objects.filter(pk=pk)).first()
    if challenge is None or not _seen_by(user, [challenge]):
        raise NotFound
    record_access(user, action=AccessAction.VIEW, record_kind=RECORD_KIND, record_id=pk)
    return challenge


def open_challenges_for(user: User) -> list[Challenge]:
    """Open challenges the user raised, or that their agency raised, that they may still see;
    and open challenges about decisions they may see that wait for their response."""
    rows = _seen_by(user, with_parts(Challenge.objects.filter(status=ChallengeStatus.OPEN)))
    found = []
    for challenge in rows:
        kind = registered(challenge.about_kind)
        if (
            challenge.raised_by_id == user.pk
            or (user.agency_id is not None and challenge.raised_by_agency_id == user.agency_id)
            or (kind is not None and kind.may_respond(user, challenge.about_id, challenge.tier))
        ):
            found.append(challenge)
    return found


@dataclass(frozen=True)
class ChallengePage:
    """What the challenge's page shows and offers to its reader."""

    challenge: Challenge
    about: Subject | None  # None: the reader may not open the decision (they raised it)
    about_label: str
    tier_label: str
    due_at: dt.datetime | None
    may_respond: bool
    may_escalate: bool
    may_withdraw: bool
    is_last_tier: bool


def challenge_page(user: User, challenge_id: object) -> ChallengePage:
    challenge = challenge_for(user, challenge_id)
    kind = registered(challenge.about_kind)
    about = None
    if kind is not None:
        about = kind.describe(user, [challenge.about_id]).get(challenge.about_id)
    is_open = challenge.status == ChallengeStatus.OPEN
    responds = bool(
        is_open and kind is not None
        and kind.may_respond(user, challenge.about_id, challenge.tier)
    )
    last = challenge.tier >= tiers.last_tier()
    return ChallengePage(
        challenge=challenge,
        about=about,
        about_label=kind.label() if kind else challenge.about_kind,
        tier_label=tiers.tier_label(challenge.tier, get_language() or "en"),
        due_at=getattr(challenge, "due_at", None),
        may_respond=responds,
        may_escalate=is_open and not last and (responds or challenge.raised_by_id == user.pk),
        may_withdraw=is_open and challenge.raised_by_id == user.pk,
        is_last_tier=last,
    )


def about_panel(user: User, about_kind: str, about_id: str) -> dict[str, object]:
    """The context of ``challenges/_challenges_about.html`` for a workflow's page: the
    challenges about this decision, and whether the reader may raise one."""
    kind = registered(about_kind)
    key = str(about_id)
    may_challenge = bool(
        kind is not None and key in kind.may_see(user, [key]) and kind.may_challenge(user, key)
    )
    language = get_language() or "en"
    return {
        "challenges": [
            AboutRow(challenge=challenge, tier_label=tiers.tier_label(challenge.tier, language))
            for challenge in challenges_about(user, about_kind, key)
        ],
        "challenge_kind": about_kind,
        "challenge_about_id": key,
        "may_challenge": may_challenge,
    }


@dataclass(frozen=True)
class AboutRow:
    """One line of ``challenges/_challenges_about.html``."""

    challenge: Challenge
    tier_label: str


def about_panels(user: User, about_kind: str, about_ids: list[str]) -> dict[str, dict[str, object]]:
    """``about_panel`` for many decisions of one kind at once (a meeting's page shows each of
    its decisions with its challenges): by id, the same context. A fixed number of statements
    however many decisions: which the reader may see, which they may challenge (the kind's
    ``may_challenge_many``), and one read of the challenges about all of them with their steps.
    """
    keys = [str(key) for key in about_ids]
    if not keys:
        return {}
    kind = registered(about_kind)
    seen = kind.may_see(user, keys) if kind is not None else set()
    may = kind.challengeable_ids(user, sorted(seen)) if kind is not None and seen else set()
    rows = with_parts(
        Challenge.objects.filter(about_kind=about_kind, about_id__in=keys).order_by(
            "-raised_at", "-pk"
        )
    )
    language = get_language() or "en"
    found: dict[str, list[AboutRow]] = {key: [] for key in keys}
    for challenge in rows:
        if challenge.about_id in seen or challenge.raised_by_id == user.pk:
            found[challenge.about_id].append(
                AboutRow(challenge=challenge, tier_label=tiers.tier_label(challenge.tier, language))
            )
    return {
        key: {
            "challenges": found[key],
            "challenge_kind": about_kind,
            "challenge_about_id": key,
            "may_challenge": key in may,
        }
        for key in keys
    }
