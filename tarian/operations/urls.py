"""Operational endpoints at the site root: ``/health`` and ``/health/ready``.

issue: security and reliability baseline.
"""

from django.urls import path

from tarian.operations import views

app_name = "operations"

urlpatterns = [
    path("health", views.alive, name="health"),
    path("health/ready", views.ready, name="ready"),
]
