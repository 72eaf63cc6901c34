"""The /api/v1/ router: each app's endpoints, and the OpenAPI schema."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from tarian.api import match_views, merge_views, referral_views, views

app_name = "api"

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[]), name="schema"),
    path("people", views.PeopleView.as_view(), name="people"),
    path("people/match", match_views.MatchView.as_view(), name="match"),
    path("referrals", referral_views.ReferralsView.as_view(), name="referrals"),
    path("referrals/<str:id>", referral_views.ReferralView.as_view(), name="referral"),
    path("referrals/<str:id>/decision", referral_views.DecisionView.as_view(), name="decision"),
    path("referrals/<str:id>/sign-off", referral_views.SignOffView.as_view(), name="sign-off"),
    path("referrals/<str:id>/approve", referral_views.ApproveView.as_view(), name="approve"),
    path("people/<str:id>", views.PersonView.as_view(), name="person"),
    path("people/<str:id>/involvements", views.InvolvementsView.as_view(), name="involvements"),
    path("people/<str:id>/access-log", views.AccessLogView.as_view(), name="access-log"),
    path("children/<str:id>/chronology", views.ChronologyView.as_view(), name="chronology"),
    path("people/<str:id>/documents", views.DocumentsView.as_view(), name="documents"),
    path(
        "documents/<int:document_id>/content",
        views.DocumentContentView.as_view(),
        name="document-content",
    ),
    path("people/<str:id>/break-glass", views.BreakGlassView.as_view(), name="break-glass"),
    path(
        "involvements/<int:involvement_id>/end",
        views.InvolvementEndView.as_view(),
        name="involvement-end",
    ),
]

urlpatterns += [
    path("duplicates", merge_views.DuplicatesView.as_view(), name="duplicates"),
    path(
        "duplicates/<int:id>/not-same", merge_views.NotSameView.as_view(), name="duplicate-not-same"
    ),
    path("people/<str:id>/merge", merge_views.MergeView.as_view(), name="merge"),
    path("merges/<int:merge_id>/undo", merge_views.UndoMergeView.as_view(), name="merge-undo"),
]
