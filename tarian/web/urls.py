"""Web pages."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from tarian.web import (
    account,
    chronology_views,
    document_views,
    draft_views,
    duplicate_views,
    match_views,
    notification_views,
    person_edit,
    referral_views,
    restriction_views,
    subject_access_views,
    threshold_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang", set_language, name="set_language"),
    path("people/search", views.search, name="search"),
    path("people/match", match_views.match_panel, name="match"),
    path("people/<str:ref>", views.person, name="person"),
    path("people/<str:ref>/viewed", views.person_viewed, name="person_viewed"),
    path("people/<str:ref>/history", views.person_history, name="person_history"),
]

urlpatterns += [
    path("account", account.account, name="account"),
    path("account/tokens/<int:token_id>/revoke", account.revoke_api_token, name="revoke_token"),
    path("account/two-factor/setup", account.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify", account.two_factor_verify, name="two_factor_verify"),
]

urlpatterns += [
    path("people/<str:ref>/break-glass", restriction_views.break_glass, name="break_glass"),
    path("people/<str:ref>/restriction", restriction_views.manage_restriction, name="restriction"),
    path("notifications", notification_views.notifications, name="notifications"),
    path("notifications/read", notification_views.notifications_read, name="notifications_read"),
]

urlpatterns += [
    path("people/<str:ref>/edit", person_edit.edit_person, name="edit_person"),
    path("people/<str:ref>/edit/autosave", person_edit.autosave_person, name="autosave_person"),
    path("people/<str:ref>/edit/discard", person_edit.discard_person_draft, name="discard_draft"),
]

urlpatterns += [
    path("drafts/<int:draft_id>/discard", draft_views.discard, name="discard_saved_draft"),
]

urlpatterns += [
    path("people/<str:ref>/documents/new", document_views.upload, name="upload_document"),
    path("documents/<int:document_id>", document_views.download, name="document"),
]

urlpatterns += [
    path("people/<str:ref>/chronology", chronology_views.chronology, name="chronology"),
]

urlpatterns += [
    path(
        "people/<str:ref>/subject-access",
        subject_access_views.subject_access,
        name="subject_access",
    ),
]

urlpatterns += [
    path("referrals", referral_views.referral_list, name="referrals"),
    path("referrals/new", referral_views.new_referral, name="new_referral"),
    path("referrals/new/autosave", referral_views.autosave_referral, name="autosave_referral"),
    path("referrals/<str:ref>", referral_views.referral, name="referral"),
    path("referrals/<str:ref>/decision", referral_views.decide, name="decide"),
    path("referrals/<str:ref>/sign-off", referral_views.sign_off, name="sign_off"),
    path("referrals/<str:ref>/approve", referral_views.approve, name="approve"),
    path("referrals/<str:ref>/feedback", referral_views.send_feedback, name="send_feedback"),
]

urlpatterns.insert(0, path("people/new", person_edit.new_person, name="new_person"))

urlpatterns += [
    path("duplicates", duplicate_views.duplicate_list, name="duplicates"),
    path("duplicates/<int:candidate_id>", duplicate_views.duplicate, name="duplicate"),
    path("people/<str:ref>/merges", duplicate_views.person_merges, name="person_merges"),
]

urlpatterns += [
    path("settings/threshold-guide", threshold_views.edit_threshold_guide, name="threshold_guide"),
]
