from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """One mechanism for every meeting kind. Workflows convene meetings through
    ``tarian.meetings.services`` and keep their own records of what the meeting was for."""

    name = "tarian.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from tarian.meetings import clocks, registrations

        clocks.register()
        registrations.register()
