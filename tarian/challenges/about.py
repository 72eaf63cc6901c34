"""What may be challenged (PC1; issue 21, issue 23): each workflow registers the kinds of
decision it owns (``referral_decision``, ``meeting_decision``, ``enquiry_type``,
``suspension_decision``, ``plan_ending``: the API contract's ``about.kind`` codes) in its own
``AppConfig.ready``, so that this app names no workflow (decision 19).

A kind answers, for the workflow's own records and by its own access rules:

- ``label()``: what the kind is called, in the active language ("Gateway decision");
- ``describe(user, ids)``: the text and link of each thing the user may open (many at once);
- ``may_see(user, ids)``: which of ``ids`` the user may see (one statement, not one per id);
- ``may_challenge(user, about_id)``: whether the user may challenge it (a practitioner of an
  agency involved; a meeting's chair, who escalates the same way);
- ``may_challenge_many(user, ids)`` (optional): the same for many at once, in a fixed number of
  statements, for a page that shows many decisions (by default, ``may_challenge`` for each);
- ``responders(about_id, tier)``: who answers a challenge at that tier (they are told);
- ``may_respond(user, about_id, tier)``: whether the user may answer (and resolve) it there.

A kind that no workflow registered is refused on ``about``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.deadlines.subjects import Subject
from tarian.errors import Refused

__all__ = ["Challengeable", "Subject", "challengeable", "register_challengeable"]

Describe = Callable[[User, list[str]], dict[str, Subject]]
MaySee = Callable[[User, list[str]], set[str]]
MayChallenge = Callable[[User, str], bool]
Responders = Callable[[str, int], list[User]]
MayRespond = Callable[[User, str, int], bool]
MayChallengeMany = Callable[[User, list[str]], set[str]]


@dataclass(frozen=True)
class Challengeable:
    kind: str
    label: Callable[[], str]
    describe: Describe
    may_see: MaySee
    may_challenge: MayChallenge
    responders: Responders
    may_respond: MayRespond
    may_challenge_many: MayChallengeMany | None = None

    def challengeable_ids(self, user: User, ids: list[str]) -> set[str]:
        """Which of ``ids`` the user may challenge."""
        if self.may_challenge_many is not None:
            return self.may_challenge_many(user, ids)
        return {key for key in ids if self.may_challenge(user, key)}


_KINDS: dict[str, Challengeable] = {}


def register_challengeable(
    kind: str,
    *,
    label: Callable[[], str],
    describe: Describe,
    may_see: MaySee,
    may_challenge: MayChallenge,
    responders: Responders,
    may_respond: MayRespond,
    may_challenge_many: MayChallengeMany | None = None,
) -> None:
    """Register a kind of decision that may be challenged (see the module's docstring).
    Registering a kind again replaces it (a test may)."""
    _KINDS[kind] = Challengeable(
        kind=kind, label=label, describe=describe, may_see=may_see,
        may_challenge=may_challenge, responders=responders, may_respond=may_respond,
        may_challenge_many=may_challenge_many,
    )


def unregister_challengeable(kind: str) -> None:
    """Forget a kind (for tests that register one of their own)."""
    _KINDS.pop(kind, None)


def registered(kind: str) -> Challengeable | None:
    return _KINDS.get(kind)


def challengeable(kind: str) -> Challengeable:
    """The registered kind, or ``Refused`` on ``about``."""
    found = _KINDS.get(str(kind or "").strip())
    if found is None:
        raise Refused(
            "about",
            _("Choose what you are challenging: %(kind)s is not a kind of decision that can be "
              "challenged here.") % {"kind": str(kind or "")[:32] or "—"},
        )
    return found
