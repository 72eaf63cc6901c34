from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tarian.web"
    label = "web"
    verbose_name = "Web shell"
