from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    """Initial child protection conferences (CP1): requested when Section 47 enquiries
    conclude, held as a meeting of the pack's ``initial_conference`` kind."""

    name = "tarian.conferences"
    label = "conferences"
    verbose_name = "Child protection conferences"

    def ready(self) -> None:
        from tarian.conferences import clocks, services
        from tarian.enquiries.followups import on_conference_requested
        from tarian.meetings.kinds import register_meeting_kind

        register_meeting_kind(services.INITIAL_KIND, decisions=services.DECISIONS)
        on_conference_requested(services.convene_from_enquiry)
        clocks.register()
        services.register_tick_jobs()
