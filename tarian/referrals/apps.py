from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """The front door. Its chronology source (``chronology.py``) is found by convention."""

    name = "tarian.referrals"
    label = "referrals"
    verbose_name = "Referrals"
