from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "tarian.chronology"
    label = "chronology"
    verbose_name = "Chronology"
