from django.apps import AppConfig


class StrategyConfig(AppConfig):
    """Strategy discussions: convened from a Gateway decision of "strategy discussion" (the
    front door's follow-up registry) or directly by a team manager."""

    name = "tarian.strategy"
    label = "strategy"
    verbose_name = "Strategy discussions and meetings"

    def ready(self) -> None:
        from tarian.meetings.kinds import register_meeting_kind
        from tarian.referrals.followups import on_decision
        from tarian.strategy import services

        on_decision(
            "strategy_discussion", services.convene_from_decision,
            services.cancel_for_returned_decision,
        )
        for kind in services.STRATEGY_KINDS.values():
            register_meeting_kind(kind, decisions="strategy_decisions")
        register_meeting_kind(services.REVIEW_KIND, decisions="strategy_decisions")
