from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tarian.api"
    label = "api"
    verbose_name = "API"
