"""A challenge's tier clocks in "Due and overdue" (issue 21): what a ``challenge`` deadline row
is called, and a link to the challenge for those who may open it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.challenges.services import SUBJECT_KIND
from tarian.deadlines.subjects import Subject, register_subject


def register() -> None:
    """Called from ``ChallengesConfig.ready``."""
    register_subject(SUBJECT_KIND, label=lambda: _("Professional challenge"), describe=describe)


def describe(user: User, subject_ids: list[str]) -> dict[str, Subject]:
    from tarian.challenges.selectors import visible_challenges

    ids = [int(subject_id) for subject_id in subject_ids if subject_id.isdigit()]
    return {
        str(challenge.pk): Subject(
            text=_("Professional challenge at tier %(tier)s: %(what)s") % {
                "tier": challenge.tier, "what": what,
            },
            link=f"/challenges/{challenge.pk}",
        )
        for challenge, what in visible_challenges(user, ids)
    }
