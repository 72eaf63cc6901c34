from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tarian.documents"
    label = "documents"
    verbose_name = "Documents"
