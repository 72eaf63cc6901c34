"""What follows the conclusion of Section 47 enquiries, registered by the workflow that carries
it on (CP1).

Enquiries do not import the workflows after them: a later workflow (the initial child
protection conference) registers here, in its ``AppConfig.ready``, what it starts when
enquiries conclude with a conference requested. The registered functions run inside the
conclusion's transaction, so the conclusion and what follows it are saved together or not at
all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tarian.agencies.models import User
from tarian.enquiries.models import Enquiry

ConferenceRequested = Callable[[User, Enquiry, dt.datetime], None]

_ON_CONFERENCE: list[ConferenceRequested] = []


def on_conference_requested(started: ConferenceRequested) -> None:
    """Run ``started`` when enquiries conclude with a conference requested."""
    if started not in _ON_CONFERENCE:
        _ON_CONFERENCE.append(started)


def conference_requested(user: User, enquiry: Enquiry, moment: dt.datetime) -> None:
    for started in _ON_CONFERENCE:
        started(user, enquiry, moment)
