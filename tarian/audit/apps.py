from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tarian.audit"
    label = "audit"
    verbose_name = "Audit"
