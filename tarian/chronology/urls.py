"""A child's chronology, on a page and through the API."""

from django.urls import path

from tarian.chronology import api as endpoints
from tarian.chronology import views

pages = [
    path("people/<str:ref>/chronology", views.chronology, name="chronology"),
]

api = [
    path("children/<str:id>/chronology", endpoints.ChronologyView.as_view(), name="chronology"),
]
