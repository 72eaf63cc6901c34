"""The user's notifications, and acknowledging what was circulated to them."""

from django.urls import path

from tarian.notifications import api as endpoints
from tarian.notifications import views

pages = [
    path("notifications", views.notifications, name="notifications"),
    path("notifications/read", views.notifications_read, name="notifications_read"),
    path("notifications/receipts/<int:pk>/acknowledge", views.acknowledge_receipt,
         name="acknowledge_receipt"),
]

api = [
    path("receipts/<int:id>/acknowledge", endpoints.AcknowledgeReceiptView.as_view(),
         name="receipt-acknowledge"),
]
