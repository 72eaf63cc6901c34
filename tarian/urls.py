"""The site's URLs: the web pages, and the API under /api/v1/."""

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("tarian.api.urls")),
    path("", include("tarian.operations.urls")),
    path("", include("tarian.web.urls")),
]

if settings.TARIAN_OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "tarian.errorpages.bad_request"
handler404 = "tarian.errorpages.not_found"
handler500 = "tarian.errorpages.failed"
