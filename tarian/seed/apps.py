from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "tarian.seed"
    label = "seed"
    verbose_name = "Synthetic data"
