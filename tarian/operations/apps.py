from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "tarian.operations"
    label = "operations"
    verbose_name = "Operations"
