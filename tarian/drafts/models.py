"""A user's unsent form, kept by the form and what it is about. Private to its author."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Draft(models.Model):
    """What a user has typed into one form about one subject (issue 18: a draft about one
    child must never fill in a form about another). ``form`` names the form (``referral``,
    ``person-edit``); ``subject`` is what it is about, usually a Tarian ID, or empty for a form
    begun about nobody yet (a referral started without a child)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    form = models.CharField(max_length=50)
    subject = models.CharField(max_length=64, blank=True)
    data = models.JSONField()
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "form", "subject"], name="draft_unique_form_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.form} {self.subject}".rstrip()
