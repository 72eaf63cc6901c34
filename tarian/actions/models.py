"""An agreed action as a row (SM3; issue 21): what a meeting, a plan or a case agreed someone
should do, with its owner (an agency, and a person where one is named), its due date and, to
close it, its outcome.

``subject_kind`` and ``subject_id`` name what the action was agreed in (a strategy meeting, a
core group) without a foreign key, so that any workflow can agree actions and this app imports
none (decision 17). Not called ``Action``: that is a permission verb in ``agencies``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from tarian.agencies.models import Agency
from tarian.core.models import Recorded


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("agreed action", "Open")
    COMPLETED = "completed", pgettext_lazy("agreed action", "Completed")


OPEN = Q(status=ActionStatus.OPEN)


class AgreedAction(Recorded):
    """One agreed action. Closed only with an outcome (SM3, AP3): the database refuses a
    completed row without one, whoever writes it."""

    subject_kind = models.CharField(max_length=32)
    subject_id = models.CharField(max_length=64)
    description = models.TextField()
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="agreed_actions"
    )
    # The person who will do it, when one is named; else anyone at ``owner_agency``.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="agreed_actions",
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    outcome = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # When the owner and the overseers were told it is overdue (``tarian tick``): once only.
    flagged_overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            # "Your agreed actions": open ones of a named owner, or of an agency with no named
            # owner, soonest due first — a range of one of these each.
            models.Index(fields=["owner", "due_date"], condition=OPEN, name="action_open_owner"),
            models.Index(
                fields=["owner_agency", "due_date"], condition=OPEN, name="action_open_agency"
            ),
            # What ``tarian tick`` has still to flag: open, past due, not yet flagged.
            models.Index(
                fields=["due_date"], condition=OPEN & Q(flagged_overdue_at__isnull=True),
                name="action_to_flag",
            ),
            models.Index(fields=["subject_kind", "subject_id"], name="action_subject"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_known"
            ),
            models.CheckConstraint(
                condition=OPEN | (~Q(outcome="") & Q(completed_at__isnull=False)),
                name="action_completed_with_outcome",
            ),
            models.CheckConstraint(
                condition=~OPEN | Q(completed_at__isnull=True),
                name="action_open_not_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} action {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    def is_overdue_on(self, today: dt.date) -> bool:
        return self.is_open and self.due_date < today
