"""The yardstick for Tarian's reads: a bare Django project with one JSON view that reads a
person's row by Tarian ID from the same database, with the same database settings (Tarian's
``DATABASES``, so the same engine, connection lifetime and SQLite pragmas), and nothing else:
no apps, no middleware, no authentication, no audit.

``write_project(folder, person_sql)`` writes it as the package ``bare_reads`` into a
throw-away folder and returns the WSGI application's name, for ``gunicorn --pythonpath folder``.
It is never part of Tarian's URLs.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = "bare_reads"

SETTINGS = '''"""Bare Django for bench/api_reads.py: Tarian's database settings and nothing else."""

import os

from tarian.settings import DATABASES, TIME_ZONE, USE_TZ  # noqa: F401 - the same database

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bare_reads.urls"
'''

URLS = '''"""One JSON view reading a person's row (bench/api_reads.py), and /health."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

PERSON_SQL = {sql!r}


def person(request: HttpRequest, ref: str) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(PERSON_SQL, [ref])
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    if row is None:
        return JsonResponse({{"errors": {{"id": ["Not found"]}}}}, status=404)
    return JsonResponse(dict(zip(names, row)))


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("person/<str:ref>", person), path("health", health)]
'''

WSGI = '''"""WSGI entry point of the bare project (bench/api_reads.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bare_reads.settings"  # not Tarian's, whatever is set
application = get_wsgi_application()
'''


def write_project(folder: Path, person_sql: str) -> str:
    """Write the project under ``folder``; ``person_sql`` reads Tarian's person row whose
    ``ref`` is the one parameter. Returns the WSGI application for gunicorn."""
    package = folder / PACKAGE
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(SETTINGS)
    (package / "urls.py").write_text(URLS.format(sql=person_sql))
    (package / "wsgi.py").write_text(WSGI)
    return f"{PACKAGE}.wsgi"


def person_path(ref: str) -> str:
    """The bare view's address for a person's row."""
    return f"/person/{ref}"
