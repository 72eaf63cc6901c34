"""Saved drafts."""

from django.urls import path

from tarian.drafts import views

pages = [
    path("drafts/<int:draft_id>/discard", views.discard, name="discard_saved_draft"),
]
