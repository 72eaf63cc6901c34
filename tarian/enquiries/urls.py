"""Section 47 enquiries: the pages (started from the strategy meeting's page) and the API."""

from django.urls import path

from tarian.enquiries import api as endpoints
from tarian.enquiries import views

pages = [
    path("enquiries/new", views.new_enquiry, name="new_enquiry"),
    path("enquiries/<int:pk>", views.enquiry, name="enquiry"),
    path("enquiries/<int:pk>/child-seen", views.child_seen, name="enquiry_child_seen"),
    path("enquiries/<int:pk>/conclude", views.conclude, name="enquiry_conclude"),
]

api = [
    path("enquiries", endpoints.EnquiriesView.as_view(), name="enquiries"),
    path("enquiries/<int:id>", endpoints.EnquiryView.as_view(), name="enquiry"),
    path("enquiries/<int:id>/child-seen", endpoints.ChildSeenView.as_view(),
         name="enquiry-child-seen"),
    path("enquiries/<int:id>/outcome", endpoints.OutcomeView.as_view(), name="enquiry-outcome"),
]
