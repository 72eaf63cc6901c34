"""A meeting's pages (issue 21): the list, the record with its forms, the minutes as a PDF.
The API endpoints are mounted by each workflow under its own path (``meeting_routes``)."""

from django.urls import path

from tarian.meetings import step_views, views

pages = [
    path("meetings", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>", views.meeting_page, name="meeting"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="meeting_minutes_pdf"),
    path("meetings/<int:pk>/answer", step_views.answer, name="meeting_answer"),
    path("meetings/<int:pk>/information", step_views.share, name="meeting_information"),
    path("meetings/<int:pk>/exclusions", step_views.exclude, name="meeting_exclusions"),
    path("meetings/<int:pk>/invitations", step_views.invite, name="meeting_invitations"),
    path("meetings/<int:pk>/held", step_views.held, name="meeting_held"),
    path("meetings/<int:pk>/decisions", step_views.decide, name="meeting_decisions"),
    path("meetings/<int:pk>/decisions/circulate", step_views.circulate,
         name="meeting_decisions_circulate"),
    path("meetings/<int:pk>/dissents", step_views.dissent, name="meeting_dissents"),
    path("meetings/<int:pk>/addenda", step_views.addendum, name="meeting_addenda"),
    path("meetings/<int:pk>/minutes", step_views.minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/minutes/autosave", step_views.autosave_minutes,
         name="meeting_minutes_autosave"),
    path("meetings/<int:pk>/minutes/approve", step_views.approve,
         name="meeting_minutes_approve"),
    path("meetings/<int:pk>/actions", step_views.agree_action, name="meeting_actions"),
    path("meetings/<int:pk>/cancel", step_views.cancel, name="meeting_cancel"),
]
