"""Reading agreed actions (SM3): one access rule for every read, lists narrowed by the same
rule as single records.

Who sees an action: the users of its owner agency, its named owner, and whoever its subject's
workflow says may see that subject's actions (``subjects.register_action_subject(may_see=...)``).
Anyone else is told it does not exist (``NotFound``), the same answer as for one that does not.
Who may complete it: the owner agency's users, the named owner, and whom the workflow allows
(``may_complete``: the meeting's chair, the coordinating lead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from tarian.actions.models import OPEN, ActionStatus, AgreedAction
from tarian.actions.subjects import action_subject_kind, describe_action_subjects, label_of
from tarian.agencies.models import User
from tarian.errors import NotFound

# The most actions the home page lists (soonest due first).
LIST_LIMIT = 50


def _own(user: User) -> Q:
    """Actions the user's agency owns, or that name the user."""
    mine = Q(owner_id=user.pk)
    if user.agency_id is not None:
        mine |= Q(owner_agency_id=user.agency_id)
    return mine


def _answerable(user: User) -> Q:
    """Open actions the user must do: named as owner, or their agency's with nobody named."""
    mine = Q(owner_id=user.pk)
    if user.agency_id is not None:
        mine |= Q(owner__isnull=True, owner_agency_id=user.agency_id)
    return OPEN & mine


def is_visible(user: User, action: AgreedAction) -> bool:
    if action.owner_id == user.pk or (
        user.agency_id is not None and action.owner_agency_id == user.agency_id
    ):
        return True
    kind = action_subject_kind(action.subject_kind)
    return kind is not None and action.subject_id in kind.may_see(user, [action.subject_id])


def may_complete(user: User, action: AgreedAction) -> bool:
    """Whether the user may record the action's outcome (they may already see it)."""
    if action.owner_id == user.pk or (
        user.agency_id is not None and action.owner_agency_id == user.agency_id
    ):
        return True
    kind = action_subject_kind(action.subject_kind)
    return kind is not None and kind.may_complete(user, action.subject_id)


def completable(user: User, actions: list[AgreedAction]) -> set[int]:
    """Of ``actions`` (all agreed in one subject), the open ones the user may complete: the
    rule of ``may_complete``, asking the subject's workflow once, not once per action."""
    found: set[int] = set()
    ask: list[AgreedAction] = []
    for action in actions:
        if action.status != ActionStatus.OPEN:
            continue
        if action.owner_id == user.pk or (
            user.agency_id is not None and action.owner_agency_id == user.agency_id
        ):
            found.add(action.pk)
        else:
            ask.append(action)
    subjects = {(action.subject_kind, action.subject_id) for action in ask}
    for subject_kind, subject_id in subjects:
        kind = action_subject_kind(subject_kind)
        if kind is not None and kind.may_complete(user, subject_id):
            found |= {
                a.pk for a in ask
                if (a.subject_kind, a.subject_id) == (subject_kind, subject_id)
            }
    return found


def visible_action(
    user: User, action_id: object, rows: QuerySet[AgreedAction] | None = None
) -> AgreedAction:
    """The action if the user may see it; else ``NotFound`` (also for one that does not
    exist). ``rows`` lets a service lock it (``select_for_update``)."""
    if not user.is_active:
        raise NotFound(action_id)
    try:
        key = int(str(action_id))
    except ValueError:
        raise NotFound(action_id) from None
    base = AgreedAction.objects.all() if rows is None else rows
    action = base.select_related("owner", "owner_agency").filter(pk=key).first()
    if action is None or not is_visible(user, action):
        raise NotFound(action_id)
    return action


def action_for(user: User, action_id: object) -> AgreedAction:
    """One action, as the user may read it (see the module's docstring)."""
    return visible_action(user, action_id)


def actions_for_subject(user: User, subject_kind: str, subject_id: object) -> list[AgreedAction]:
    """Every action agreed in a subject, soonest due first, for its workflow's page: the
    workflow has already checked that ``user`` may see the subject. One statement."""
    return list(
        AgreedAction.objects.filter(subject_kind=subject_kind, subject_id=str(subject_id))
        .select_related("owner", "owner_agency", "completed_by")
        .order_by("due_date", "pk")
    )


def open_actions(user: User) -> QuerySet[AgreedAction]:
    """The user's open actions (named as owner, or their agency's with nobody named), soonest
    due first: what the API lists a page at a time."""
    if not user.is_active:
        return AgreedAction.objects.none()
    return (
        AgreedAction.objects.filter(_answerable(user))
        .select_related("owner", "owner_agency")
        .order_by("due_date", "pk")
    )


@dataclass(frozen=True)
class ActionItem:
    """One line of "Your agreed actions"."""

    action: AgreedAction
    is_overdue: bool
    what: str  # what it was agreed in, in words
    link: str  # where that is, when the user may open it ("" otherwise)


def my_actions(user: User, *, today: dt.date, limit: int = LIST_LIMIT) -> list[ActionItem]:
    """The home page's "Your agreed actions" (SM3): open actions the user must do, soonest due
    first, at most ``limit``, each marked overdue when its due date is before ``today``. One
    statement for the actions, one per kind of subject to describe them."""
    rows = list(open_actions(user)[:limit])
    subjects = describe_action_subjects(user, ((r.subject_kind, r.subject_id) for r in rows))
    items = []
    for row in rows:
        subject = subjects.get((row.subject_kind, row.subject_id))
        items.append(ActionItem(
            action=row,
            is_overdue=row.is_overdue_on(today),
            what=subject.text if subject else label_of(row.subject_kind),
            link=subject.link if subject else "",
        ))
    return items


def subject_text(user: User, action: AgreedAction) -> tuple[str, str]:
    """What the action's subject is, in words, and its link ("" when it cannot be opened)."""
    subject = describe_action_subjects(user, [(action.subject_kind, action.subject_id)]).get(
        (action.subject_kind, action.subject_id)
    )
    if subject is None:
        return label_of(action.subject_kind), ""
    return subject.text, subject.link
