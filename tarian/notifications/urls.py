"""The user's notifications."""

from django.urls import path

from tarian.notifications import views

pages = [
    path("notifications", views.notifications, name="notifications"),
    path("notifications/read", views.notifications_read, name="notifications_read"),
]
