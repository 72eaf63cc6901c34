from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    """Statutory clocks as rows. Workflows register their subject kinds in their own
    ``AppConfig.ready`` (``tarian.deadlines.subjects.register_subject``)."""

    name = "tarian.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines"
