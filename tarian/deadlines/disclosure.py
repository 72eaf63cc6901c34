"""Subject access (IS4): a clock has no section of its own. It says when work about the person
was due and when it was done; the work itself (a referral, when it was received, decided and its
outcome told) is in the section of the app that did it."""

from __future__ import annotations

from tarian.core.disclosure import not_disclosed
from tarian.deadlines.models import Deadline

NOT_DISCLOSED = [
    not_disclosed(Deadline, "when work about the person was due and done; the work itself, with "
                  "its times, is in the section of the app that did it (referrals)"),
]
