from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    """The shared escalation record. Workflows register what may be challenged
    (``tarian.challenges.about.register_challengeable``) in their own ``AppConfig.ready``; this
    app registers its tier clocks with ``tarian.deadlines`` so they show in "Due and overdue"."""

    name = "tarian.challenges"
    label = "challenges"
    verbose_name = "Professional challenges"

    def ready(self) -> None:
        from tarian.challenges.deadlines import register
        from tarian.challenges.services import tick_job
        from tarian.operations.tick import register_tick_job

        register()
        # PC1: an overdue tier escalates by the clock, from ``tarian tick``.
        register_tick_job("challenges.escalate_overdue", tick_job)
