"""The front door's pages and endpoints: referrals, the queue, decisions, sign-off, approval,
feedback, and the partnership's threshold guide."""

from django.urls import path

from tarian.referrals import api as endpoints
from tarian.referrals import resubmit_views, threshold_views, unseen_views, views

pages = [
    path("referrals", views.referral_list, name="referrals"),
    path("referrals/new", views.new_referral, name="new_referral"),
    path("referrals/new/autosave", views.autosave_referral, name="autosave_referral"),
    path("referrals/<str:ref>", views.referral, name="referral"),
    path("referrals/<str:ref>/decision", views.decide, name="decide"),
    path("referrals/<str:ref>/sign-off", views.sign_off, name="sign_off"),
    path("referrals/<str:ref>/approve", views.approve, name="approve"),
    path("referrals/<str:ref>/resubmit", resubmit_views.resubmit, name="resubmit"),
    path("referrals/<str:ref>/feedback", views.send_feedback, name="send_feedback"),
    path("referrals/<str:ref>/unseen/<int:unseen_id>", unseen_views.link_unseen_child,
         name="link_unseen_child"),
    path("settings/threshold-guide", threshold_views.edit_threshold_guide, name="threshold_guide"),
]

api = [
    path("referrals", endpoints.ReferralsView.as_view(), name="referrals"),
    path("referrals/<str:id>", endpoints.ReferralView.as_view(), name="referral"),
    path("referrals/<str:id>/decision", endpoints.DecisionView.as_view(), name="decision"),
    path("referrals/<str:id>/sign-off", endpoints.SignOffView.as_view(), name="sign-off"),
    path("referrals/<str:id>/approve", endpoints.ApproveView.as_view(), name="approve"),
    path("referrals/<str:id>/resubmit", endpoints.ResubmitView.as_view(), name="resubmit"),
    path("referrals/<str:id>/unseen-children/<int:unseen_id>",
         endpoints.UnseenChildView.as_view(), name="unseen-child"),
]
