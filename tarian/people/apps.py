from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tarian.people"
    label = "people"
    verbose_name = "People"
