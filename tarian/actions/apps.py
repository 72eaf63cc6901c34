from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Agreed actions (SM3): one mechanism for every workflow. Workflows register their subject
    kinds in their own ``AppConfig.ready`` (``tarian.actions.subjects``); this app registers
    its overdue flagging with ``tarian tick``."""

    name = "tarian.actions"
    label = "actions"
    verbose_name = "Agreed actions"

    def ready(self) -> None:
        from tarian.actions.services import register_tick_jobs

        register_tick_jobs()
