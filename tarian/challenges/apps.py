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

        register()
