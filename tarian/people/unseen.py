"""Handles for a likely match the user may not see (FD6, IS1; issue #20 item 8).

The matcher tells a user that a likely match exists that they may not see, never who. So that
they can still refer that child instead of recording a duplicate, the match answer carries a
*handle* for each such match: an opaque token that only Tarian can read back, for only that
user, for a limited time (``HANDLE_LIFETIME``). A workflow (the referral) carries the handle,
and the Gateway, who may see the record, reads which record it is.

A handle is the person's id, the user's id and the expiry, sealed with AES-GCM under a key
derived from ``SECRET_KEY`` with its own salt (decision 15). Sealing, not signing: a signed
token (``django.core.signing``) is readable, and would give away the record's id and let two
users' handles for the same child be matched to each other. Each handle has a random nonce, so
two handles for the same person, for one user or for two, share nothing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.errors import Refused

HANDLE_SALT = "tarian.people.unseen-match-handle"
HANDLE_LIFETIME = dt.timedelta(hours=24)
_PREFIX = "u1."
_NONCE_BYTES = 12
_LAYOUT = ">QQQ"  # person id, user id, expiry (seconds since the epoch): a fixed length
# The longest handle that could be one: longer text is refused before it is decoded.
HANDLE_MAX_LENGTH = 120


def _key() -> bytes:
    return salted_hmac(HANDLE_SALT, "key", algorithm="sha256").digest()


def issue_handle(user: User, person_id: int, *, now: dt.datetime | None = None) -> str:
    """A handle for ``person_id``, for ``user`` only, valid for ``HANDLE_LIFETIME``."""
    expires = int(((now or timezone.now()) + HANDLE_LIFETIME).timestamp())
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key()).encrypt(
        nonce, struct.pack(_LAYOUT, person_id, user.pk, expires), HANDLE_SALT.encode()
    )
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def read_handle(
    user: User, handle: object, *, field: str, now: dt.datetime | None = None
) -> int:
    """The person id a handle stands for, or ``Refused`` on ``field``: a handle that was
    changed or is not one, one made for someone else, or one that has expired. A handle is
    only ever read for the user it was made for; what it stands for is never said."""
    person_id = _open(handle)
    if person_id is None:
        raise Refused(field, _("This link to a possible match is not valid. Search for the "
                               "child again and choose the possible match."))
    person, owner, expires = person_id
    if owner != user.pk:
        raise Refused(field, _("This link to a possible match was made for someone else. "
                               "Search for the child yourself and choose the possible match."))
    if (now or timezone.now()).timestamp() > expires:
        raise Refused(field, _("This link to a possible match has expired. Search for the "
                               "child again and choose the possible match."))
    return person


def _open(handle: object) -> tuple[int, int, int] | None:
    if not isinstance(handle, str) or not handle.startswith(_PREFIX):
        return None
    if len(handle) > HANDLE_MAX_LENGTH:
        return None
    body = handle[len(_PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) <= _NONCE_BYTES:
        return None
    try:
        plain = AESGCM(_key()).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], HANDLE_SALT.encode()
        )
    except InvalidTag:
        return None
    if len(plain) != struct.calcsize(_LAYOUT):
        return None
    person, owner, expires = struct.unpack(_LAYOUT, plain)
    return int(person), int(owner), int(expires)
