"""People's pages and endpoints: search, matching, a person's record, editing, restriction,
duplicates and merges."""

from django.urls import path

from tarian.people.api import match as match_api
from tarian.people.api import merges as merge_api
from tarian.people.api import records as record_api
from tarian.people.views import duplicates, edit, match, record, restriction

pages = [
    path("people/search", record.search, name="search"),
    path("people/match", match.match_panel, name="match"),
    path("people/new", edit.new_person, name="new_person"),
    path("people/<str:ref>", record.person, name="person"),
    path("people/<str:ref>/viewed", record.person_viewed, name="person_viewed"),
    path("people/<str:ref>/history", record.person_history, name="person_history"),
    path("people/<str:ref>/edit", edit.edit_person, name="edit_person"),
    path("people/<str:ref>/edit/autosave", edit.autosave_person, name="autosave_person"),
    path("people/<str:ref>/edit/discard", edit.discard_person_draft, name="discard_draft"),
    path("people/<str:ref>/break-glass", restriction.break_glass, name="break_glass"),
    path("people/<str:ref>/restriction", restriction.manage_restriction, name="restriction"),
    path("duplicates", duplicates.duplicate_list, name="duplicates"),
    path("duplicates/<int:candidate_id>", duplicates.duplicate, name="duplicate"),
    path("people/<str:ref>/merges", duplicates.person_merges, name="person_merges"),
]

api = [
    path("people", record_api.PeopleView.as_view(), name="people"),
    path("people/match", match_api.MatchView.as_view(), name="match"),
    path("people/<str:id>", record_api.PersonView.as_view(), name="person"),
    path(
        "people/<str:id>/involvements", record_api.InvolvementsView.as_view(), name="involvements"
    ),
    path("people/<str:id>/access-log", record_api.AccessLogView.as_view(), name="access-log"),
    path("people/<str:id>/break-glass", record_api.BreakGlassView.as_view(), name="break-glass"),
    path(
        "involvements/<int:involvement_id>/end",
        record_api.InvolvementEndView.as_view(),
        name="involvement-end",
    ),
    path("duplicates", merge_api.DuplicatesView.as_view(), name="duplicates"),
    path(
        "duplicates/<int:id>/not-same", merge_api.NotSameView.as_view(), name="duplicate-not-same"
    ),
    path("people/<str:id>/merge", merge_api.MergeView.as_view(), name="merge"),
    path("merges/<int:merge_id>/undo", merge_api.UndoMergeView.as_view(), name="merge-undo"),
]
