"""A child's chronology, on a page and through the API."""

from django.urls import path

from tarian.api import views as api_views
from tarian.web import chronology_views as views

pages = [
    path("people/<str:ref>/chronology", views.chronology, name="chronology"),
]

api = [
    path("children/<str:id>/chronology", api_views.ChronologyView.as_view(), name="chronology"),
]
