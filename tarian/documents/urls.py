"""Documents on a person's record: upload, download, list."""

from django.urls import path

from tarian.api import views as api_views
from tarian.web import document_views as views

pages = [
    path("people/<str:ref>/documents/new", views.upload, name="upload_document"),
    path("documents/<int:document_id>", views.download, name="document"),
]

api = [
    path("people/<str:id>/documents", api_views.DocumentsView.as_view(), name="documents"),
    path(
        "documents/<int:document_id>/content",
        api_views.DocumentContentView.as_view(),
        name="document-content",
    ),
]
