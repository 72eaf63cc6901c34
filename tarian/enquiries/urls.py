"""Section 47 enquiries: the API (pages follow on the meeting's page and the enquiry's)."""

from django.urls import path

from tarian.enquiries import api as endpoints

pages: list = []

api = [
    path("enquiries", endpoints.EnquiriesView.as_view(), name="enquiries"),
    path("enquiries/<int:id>", endpoints.EnquiryView.as_view(), name="enquiry"),
    path("enquiries/<int:id>/child-seen", endpoints.ChildSeenView.as_view(),
         name="enquiry-child-seen"),
    path("enquiries/<int:id>/outcome", endpoints.OutcomeView.as_view(), name="enquiry-outcome"),
]
