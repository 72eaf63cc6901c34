"""Professional challenge pages and endpoints (PC1)."""

from django.urls import path

from tarian.challenges import api as endpoints
from tarian.challenges import views

pages = [
    path("challenges/new", views.new_challenge, name="new_challenge"),
    path("challenges/<int:challenge_id>", views.challenge, name="challenge"),
]

api = [
    path("challenges", endpoints.ChallengesView.as_view(), name="challenges"),
    path("challenges/<str:id>", endpoints.ChallengeView.as_view(), name="challenge"),
    path("challenges/<str:id>/escalate", endpoints.EscalateView.as_view(),
         name="challenge-escalate"),
    path("challenges/<str:id>/respond", endpoints.RespondView.as_view(),
         name="challenge-respond"),
]
