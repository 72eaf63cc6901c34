from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "tarian.drafts"
    label = "drafts"
    verbose_name = "Drafts"
