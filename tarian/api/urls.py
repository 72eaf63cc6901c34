"""The /api/v1/ router: the OpenAPI schema, then each app's endpoints.

Each app lists its endpoints in its own ``urls.py`` (``api``); they are gathered here under the
``api:`` namespace, fixed addresses before variable ones (``tarian.core.routes``).
"""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from tarian.core.routes import app_routes

app_name = "api"

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[]), name="schema"),
    *app_routes("api"),
]
