"""Who must use two-factor authentication, and how they may set it up (#18 item 13).

Roles in ``TARIAN_TWO_FACTOR_ROLES`` (system administrators, board members, allegations
managers, whistle-blowing officers) see the most sensitive information, so a password alone
must never be enough to act as one of them. Two rules follow:

- **Enrolment needs a one-time link** (docs/decisions/0010). A user of such a role who has no
  authenticator app yet can set one up only after opening a link made for them by an
  administrator on the server (``tarian two-factor-link``, or ``tarian create-user``, which
  prints one) and signing in with their own password. The link is kept only as a hash, expires
  after ``TARIAN_ENROLMENT_LINK_HOURS`` and is used up when opened; opening it allows setting
  up an app in that session for ``ENROLMENT_SESSION_MINUTES``. Whoever has only the password
  finds a page asking for the link, and cannot put their own authenticator on the account.
  Other users may still turn two-factor authentication on for themselves from the account page.
- **API tokens of such roles live shorter**: at most ``TARIAN_API_TOKEN_DAYS_TWO_FACTOR`` days
  from when they were made, whatever the token says, and the account page issues one only in a
  session that has passed the second factor (``tarian.agencies.services.issue_account_token``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tarian.agencies.models import EnrolmentLink, User
from tarian.errors import Refused

LINK_PREFIX = "enr_"
ENROLMENT_SESSION_MINUTES = 60
# The session key that holds the link opened in this session (its id).
SESSION_KEY = "tarian_enrolment_link"


def needs_two_factor(user: object) -> bool:
    """True if the user's roles require a second factor (system admin, board member ...)."""
    role_codes = getattr(user, "role_codes", None)
    if role_codes is None:
        return False
    return bool(role_codes() & set(settings.TARIAN_TWO_FACTOR_ROLES))


def token_days_limit(user: User) -> int | None:
    """The most days an API token of this user may live, if their role limits it."""
    return int(settings.TARIAN_API_TOKEN_DAYS_TWO_FACTOR) if needs_two_factor(user) else None


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    link: EnrolmentLink
    secret: str

    def path(self) -> str:
        """Where the link leads, on this site (``?link=`` on the set-up page)."""
        return f"{reverse('web:two_factor_setup')}?{urlencode({'link': self.secret})}"

    def url(self, base_url: str | None = None) -> str:
        base = (base_url or settings.TARIAN_BASE_URL or "").rstrip("/")
        return base + self.path()


@transaction.atomic
def issue_enrolment_link(
    user: User, *, issued_by: str, now: dt.datetime | None = None
) -> IssuedLink:
    """A new one-time link for ``user``; links issued to them before and not yet used stop
    working (one live link per user)."""
    now = now or timezone.now()
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    secret = LINK_PREFIX + secrets.token_urlsafe(32)
    link = EnrolmentLink.objects.create(
        user=user,
        token_hash=_hash(secret),
        issued_by=issued_by[:150],
        created_at=now,
        expires_at=now + dt.timedelta(hours=int(settings.TARIAN_ENROLMENT_LINK_HOURS)),
    )
    return IssuedLink(link, secret)


LINK_NOT_VALID = "link"


@transaction.atomic
def open_enrolment_link(user: User, secret: str, *, now: dt.datetime | None = None) -> int:
    """Use up the link for ``user``; its id, which the session keeps while they set up.

    Refused (field ``link``) for a link that is unknown, belongs to someone else (it stays
    usable by them), has been used, or has expired."""
    now = now or timezone.now()
    link = (
        EnrolmentLink.objects.select_for_update().filter(token_hash=_hash(secret.strip())).first()
    )
    if link is None:
        raise Refused(
            LINK_NOT_VALID, _("This set-up link is not valid. Check you copied all of it")
        )
    if link.user_id != user.pk:
        raise Refused(
            LINK_NOT_VALID,
            _(
                "This set-up link was made for someone else. Sign out, then open it and sign in "
                "as the person it was made for"
            ),
        )
    if link.used_at is not None:
        raise Refused(
            LINK_NOT_VALID,
            _(
                "This set-up link has already been used. Ask your system administrator for a "
                "new one"
            ),
        )
    if link.expires_at <= now:
        raise Refused(
            LINK_NOT_VALID,
            _("This set-up link has expired. Ask your system administrator for a new one"),
        )
    link.used_at = now
    link.save(update_fields=["used_at"])
    return link.pk


def enrolment_allowed(user: User, link_id: object, *, now: dt.datetime | None = None) -> bool:
    """True if ``user`` may set up an authenticator in a session that opened ``link_id``
    (for users whose role needs two-factor authentication; others always may)."""
    if not needs_two_factor(user):
        return True
    if not isinstance(link_id, int):
        return False
    now = now or timezone.now()
    return EnrolmentLink.objects.filter(
        pk=link_id,
        user=user,
        used_at__gt=now - dt.timedelta(minutes=ENROLMENT_SESSION_MINUTES),
    ).exists()


@transaction.atomic
def start_enrolment(user: User, secret: str, *, now: dt.datetime | None = None) -> int:
    """Open a set-up link (``open_enrolment_link``) and discard any authenticator the user began
    to set up before, so that the key shown next has never been shown to anyone else."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    link_id = open_enrolment_link(user, secret, now=now)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return link_id
