from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "tarian.disclosure"
    label = "disclosure"
    verbose_name = "Subject access"
