"""Subject access: everything Tarian holds about a person, gathered from every app."""

from django.urls import path

from tarian.disclosure import views

pages = [
    path("people/<str:ref>/subject-access", views.subject_access, name="subject_access"),
]
