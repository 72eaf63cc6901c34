"""Agreed actions' page and endpoints (SM3)."""

from django.urls import path

from tarian.actions import api as endpoints
from tarian.actions import views

pages = [
    path("actions/<int:action_id>/complete", views.complete_action, name="complete_action"),
]

api = [
    path("actions", endpoints.ActionsView.as_view(), name="actions"),
    path("actions/<int:id>", endpoints.ActionView.as_view(), name="action"),
    path("actions/<int:id>/complete", endpoints.CompleteActionView.as_view(),
         name="complete-action"),
]
