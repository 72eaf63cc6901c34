"""A statutory clock as a row (issue 21; QA1): written by the service that starts it, in the
same transaction, and read with SQL by the home page's "due and overdue" list and the board's
counts, instead of recomputing clocks in Python.

``timescale`` is the procedures pack's code; ``subject_kind`` and ``subject_id`` name what the
clock is about without a foreign key, so that any workflow can write rows and this app imports
none (decision 16). ``due_soon_at`` is kept from the timescale's due-soon window when the clock
starts, so that a row's status is a comparison of columns with ``now``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from tarian.agencies.models import Agency
from tarian.people.models import Person

OPEN = Q(met_at__isnull=True, stopped_at__isnull=True)


class Deadline(models.Model):
    """One clock: one timescale run once for one subject (and one child, where it concerns
    several: one row per child, decision 16)."""

    timescale = models.CharField(max_length=64)
    subject_kind = models.CharField(max_length=32)
    subject_id = models.CharField(max_length=64)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    # Who must act: a named user; else anyone with ``role`` at ``agency`` (either may be
    # empty: a role anywhere in the partnership, or anyone at the agency).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="deadlines",
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    role = models.CharField(max_length=32, blank=True)
    started_at = models.DateTimeField()
    # When it becomes due soon (the timescale's due-soon window back from ``due_at``; never
    # after it).
    due_soon_at = models.DateTimeField()
    due_at = models.DateTimeField()
    # The first day of the London month of ``due_at``: what the board's counts group by, kept
    # as a column so that the count reads a range of one index and groups without sorting.
    due_month = models.DateField()
    met_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            # Open clocks by due time; and by when they become due soon, for an owner, an
            # agency, a role: the "due and overdue" lists read a range of these.
            models.Index(fields=["due_at"], condition=OPEN, name="deadline_open_due"),
            models.Index(
                fields=["owner", "due_soon_at"], condition=OPEN, name="deadline_open_owner"
            ),
            models.Index(
                fields=["agency", "due_soon_at"], condition=OPEN, name="deadline_open_agency"
            ),
            models.Index(
                fields=["role", "due_soon_at"], condition=OPEN, name="deadline_open_role"
            ),
            # The board's counts by month of the due time and timescale: a range of months,
            # read from the index alone on PostgreSQL (the covered columns are what the counts
            # compare) in the order they are grouped by.
            models.Index(
                fields=["due_month", "timescale"], include=["due_at", "met_at", "stopped_at"],
                name="deadline_due_month",
            ),
            models.Index(fields=["subject_kind", "subject_id"], name="deadline_subject"),
            models.Index(fields=["person", "due_at"], name="deadline_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=F("started_at")), name="deadline_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(due_soon_at__lte=F("due_at")), name="deadline_due_soon_before_due"
            ),
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True) | ~Q(stop_reason=""),
                name="deadline_stopped_with_reason",
            ),
            # One open clock per timescale, subject and child. A clock about no child
            # (person null) is kept unique by its own constraint: NULLs are distinct in SQL.
            models.UniqueConstraint(
                fields=["timescale", "subject_kind", "subject_id", "person"],
                condition=OPEN & Q(person__isnull=False),
                name="deadline_one_open_clock",
            ),
            models.UniqueConstraint(
                fields=["timescale", "subject_kind", "subject_id"],
                condition=OPEN & Q(person__isnull=True),
                name="deadline_one_open_clock_no_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.timescale} {self.subject_kind}:{self.subject_id}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.stopped_at is None
