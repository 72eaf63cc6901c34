"""Operational endpoints, outside the login wall: health checks."""

from django.urls import path

from tarian.operations import health

app_name = "operations"

urlpatterns = [
    path("health", health.live, name="health"),
    path("health/ready", health.ready, name="health_ready"),
]
