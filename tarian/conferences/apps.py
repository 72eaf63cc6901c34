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
        from tarian.meetings.kinds import DECISION, HELD, register_meeting_kind

        # Held with the quorum checked, decisions with a category and key worker: the
        # conference records both itself, and the shared meeting steps refuse them.
        register_meeting_kind(
            services.INITIAL_KIND, decisions=services.DECISIONS,
            own_steps=frozenset({HELD, DECISION}),
        )
        on_conference_requested(services.convene_from_enquiry)
        clocks.register()
        services.register_tick_jobs()
