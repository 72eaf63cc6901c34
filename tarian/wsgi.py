"""WSGI entry point for gunicorn: ``gunicorn tarian.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tarian.settings")
application = get_wsgi_application()
