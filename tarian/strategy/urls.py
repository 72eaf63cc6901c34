"""Strategy discussions and meetings: convening, and the shared meeting endpoints for them."""

from django.urls import path

from tarian.meetings.api import meeting_routes
from tarian.strategy import api as endpoints
from tarian.strategy import views
from tarian.strategy.services import REVIEW_KIND, STRATEGY_KINDS

pages = [
    path("strategy-meetings/new", views.new_strategy_meeting, name="new_strategy_meeting"),
]

api = [
    path("strategy-meetings", endpoints.StrategyMeetingsView.as_view(),
         name="strategy-meetings"),
    *meeting_routes("strategy-meetings", "strategy-meeting",
                    [*STRATEGY_KINDS.values(), REVIEW_KIND], owner=__name__),
]
