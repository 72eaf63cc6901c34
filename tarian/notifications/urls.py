"""The user's notifications."""

from django.urls import path

from tarian.web import notification_views as views

pages = [
    path("notifications", views.notifications, name="notifications"),
    path("notifications/read", views.notifications_read, name="notifications_read"),
]
