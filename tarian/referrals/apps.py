from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """The front door. Its chronology source (``chronology.py``) is found by convention; its
    clocks' subjects are registered with ``tarian.deadlines`` when the app is ready."""

    name = "tarian.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from tarian.referrals.deadlines import register

        register()
