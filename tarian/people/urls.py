"""People's pages and endpoints: search, matching, a person's record, editing, restriction,
duplicates and merges."""

from django.urls import path

from tarian.api import match_views, merge_views
from tarian.api import views as api_views
from tarian.web import (
    duplicate_views,
    person_edit,
    restriction_views,
)
from tarian.web import (
    match_views as match_pages,
)
from tarian.web import views as record_pages

pages = [
    path("people/search", record_pages.search, name="search"),
    path("people/match", match_pages.match_panel, name="match"),
    path("people/new", person_edit.new_person, name="new_person"),
    path("people/<str:ref>", record_pages.person, name="person"),
    path("people/<str:ref>/viewed", record_pages.person_viewed, name="person_viewed"),
    path("people/<str:ref>/history", record_pages.person_history, name="person_history"),
    path("people/<str:ref>/edit", person_edit.edit_person, name="edit_person"),
    path("people/<str:ref>/edit/autosave", person_edit.autosave_person, name="autosave_person"),
    path("people/<str:ref>/edit/discard", person_edit.discard_person_draft, name="discard_draft"),
    path("people/<str:ref>/break-glass", restriction_views.break_glass, name="break_glass"),
    path("people/<str:ref>/restriction", restriction_views.manage_restriction, name="restriction"),
    path("duplicates", duplicate_views.duplicate_list, name="duplicates"),
    path("duplicates/<int:candidate_id>", duplicate_views.duplicate, name="duplicate"),
    path("people/<str:ref>/merges", duplicate_views.person_merges, name="person_merges"),
]

api = [
    path("people", api_views.PeopleView.as_view(), name="people"),
    path("people/match", match_views.MatchView.as_view(), name="match"),
    path("people/<str:id>", api_views.PersonView.as_view(), name="person"),
    path("people/<str:id>/involvements", api_views.InvolvementsView.as_view(), name="involvements"),
    path("people/<str:id>/access-log", api_views.AccessLogView.as_view(), name="access-log"),
    path("people/<str:id>/break-glass", api_views.BreakGlassView.as_view(), name="break-glass"),
    path(
        "involvements/<int:involvement_id>/end",
        api_views.InvolvementEndView.as_view(),
        name="involvement-end",
    ),
    path("duplicates", merge_views.DuplicatesView.as_view(), name="duplicates"),
    path(
        "duplicates/<int:id>/not-same", merge_views.NotSameView.as_view(), name="duplicate-not-same"
    ),
    path("people/<str:id>/merge", merge_views.MergeView.as_view(), name="merge"),
    path("merges/<int:merge_id>/undo", merge_views.UndoMergeView.as_view(), name="merge-undo"),
]
