from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "tarian.agencies"
    label = "agencies"
    verbose_name = "Agencies"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from tarian.agencies.sharing import load_default_rules_if_empty

        post_migrate.connect(load_default_rules_if_empty, sender=self)
