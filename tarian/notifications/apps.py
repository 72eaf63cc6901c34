from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tarian.notifications"
    label = "notifications"
    verbose_name = "Notifications"
