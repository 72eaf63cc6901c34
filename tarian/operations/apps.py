from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class OperationsConfig(AppConfig):
    name = "tarian.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from django.core import checks

        from tarian.operations.checks import check_audit_role
        from tarian.operations.database_roles import grant_after_migrate

        # Once per migrate, after every app's migrations: the audit app has models, so
        # post_migrate is sent for it (this app has none).
        post_migrate.connect(
            grant_after_migrate,
            sender=apps.get_app_config("audit"),
            dispatch_uid="tarian.operations.grant_after_migrate",
        )
        checks.register(check_audit_role, checks.Tags.security, deploy=True)
