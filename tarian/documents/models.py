"""An uploaded file about a person, kept outside the web root and served only after a check."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tarian.people.models import Person


class Document(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Relative to TARIAN_UPLOAD_DIR; a random name, never the uploader's file name.
    stored_name = models.CharField(max_length=100, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title
