"""Conferences: the report and outcome pages, the API, and the shared meeting endpoints for
the conference's meeting (those a conference does its own way are its own)."""

from django.urls import path

from tarian.conferences import api as endpoints
from tarian.conferences import views
from tarian.conferences.services import INITIAL_KIND
from tarian.meetings.api import meeting_routes

# Held (the quorum), decisions (the outcome per child) and approving the minutes (the outline
# plan) are the conference's own; the rest are the meeting's.
OWN = {"conference", "conference-held", "conference-decisions", "conference-minutes-approve"}

pages = [
    path("conferences/<int:pk>/reports", views.reports, name="conference_reports"),
    path("conferences/<int:pk>/outcome", views.outcome, name="conference_outcome"),
]

api = [
    path("conferences", endpoints.ConferencesView.as_view(), name="conferences"),
    path("conferences/<int:id>", endpoints.ConferenceView.as_view(), name="conference"),
    path("conferences/<int:id>/reports", endpoints.ReportsView.as_view(),
         name="conference-reports"),
    path("conferences/<int:id>/outcome", endpoints.OutcomeView.as_view(),
         name="conference-outcome"),
    path("conferences/<int:id>/held", endpoints.HeldView.as_view(), name="conference-held"),
    path("conferences/<int:id>/children", endpoints.ChildView.as_view(),
         name="conference-children"),
    path("conferences/<int:id>/minutes/approve", endpoints.ApproveMinutesView.as_view(),
         name="conference-minutes-approve"),
    *[route for route in meeting_routes("conferences", "conference", [INITIAL_KIND],
                                        owner=__name__) if route.name not in OWN],
]
