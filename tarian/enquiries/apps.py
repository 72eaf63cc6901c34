from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    """Section 47 enquiries, started from a strategy meeting's decision."""

    name = "tarian.enquiries"
    label = "enquiries"
    verbose_name = "Section 47 enquiries"

    def ready(self) -> None:
        from tarian.enquiries import clocks, registrations

        clocks.register()
        registrations.register()
