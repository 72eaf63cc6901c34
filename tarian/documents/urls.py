"""Documents on a person's record: upload, download, list."""

from django.urls import path

from tarian.documents import api as endpoints
from tarian.documents import views

pages = [
    path("people/<str:ref>/documents/new", views.upload, name="upload_document"),
    path("documents/<int:document_id>", views.download, name="document"),
]

api = [
    path("people/<str:id>/documents", endpoints.DocumentsView.as_view(), name="documents"),
    path(
        "documents/<int:document_id>/content",
        endpoints.DocumentContentView.as_view(),
        name="document-content",
    ),
]
