"""#20 item 11, VC2: a notification is written in the language its recipient reads, whoever's
action sent it; so is the email that says it is there."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _

from tarian.agencies.models import Agency, User
from tarian.notifications.models import Notification, NotificationKind
from tarian.notifications.services import notify_each
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_issue20_notifications_in_recipients_language_not_the_senders(
    childrens_services: Agency, django_capture_on_commit_callbacks: object
) -> None:
    welsh = UserFactory(username="nia", agency=childrens_services, language="cy",
                        email="nia@example.org")
    english = UserFactory(username="catrin", agency=childrens_services, language="en",
                          email="catrin@example.org")
    closed = UserFactory(username="gone", agency=childrens_services, language="cy",
                         is_active=False)
    with translation.override("en"), django_capture_on_commit_callbacks(  # type: ignore[operator]
        execute=True
    ):
        notify_each([welsh, english, closed, welsh], kind=NotificationKind.GENERAL,
                    message=lambda: (_("Notifications"), _("Menu")), link="/referrals")
        assert translation.get_language() == "en"  # the sender's language is left as it was
    said = dict(Notification.objects.values_list("recipient__username", "subject"))
    assert said == {"nia": "Hysbysiadau", "catrin": "Notifications"}
    assert Notification.objects.get(recipient=welsh).body == "Dewislen"
    emailed = {message.to[0]: message.body for message in mail.outbox}
    assert "Mewngofnodwch i Tarian i'w darllen: " in emailed["nia@example.org"]
    assert "Sign in to Tarian to read it: " in emailed["catrin@example.org"]


def test_issue20_a_user_who_never_chose_reads_the_sites_language(
    childrens_services: Agency, settings: object
) -> None:
    unchosen: User = UserFactory(agency=childrens_services, language="")
    with translation.override("cy"):
        notify_each([unchosen], kind=NotificationKind.GENERAL,
                    message=lambda: (_("Notifications"), ""))
    assert Notification.objects.get(recipient=unchosen).subject == "Notifications"
