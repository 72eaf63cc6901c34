from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "tarian.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from tarian.referrals import chronology  # noqa: F401 - registers the chronology source
