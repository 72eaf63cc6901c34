"""Saved drafts."""

from django.urls import path

from tarian.web import draft_views as views

pages = [
    path("drafts/<int:draft_id>/discard", views.discard, name="discard_saved_draft"),
]
