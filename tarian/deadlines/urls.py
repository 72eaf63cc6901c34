"""The board's timeliness dashboard and its endpoint (QA1)."""

from django.urls import path

from tarian.deadlines import api as endpoints
from tarian.deadlines import views

pages = [
    path("timeliness", views.timeliness_page, name="timeliness"),
]

api = [
    path("deadlines/counts", endpoints.CountsView.as_view(), name="deadline-counts"),
]
