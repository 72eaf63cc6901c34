"""The web shell's own pages (home, log-in, account, language), then every app's pages.

Each app lists its pages in its own ``urls.py`` (``pages``); they are gathered here under the
``web:`` namespace, fixed addresses before variable ones (``tarian.core.routes``).
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from tarian.core.routes import app_routes
from tarian.web import account, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang", account.choose_language, name="set_language"),
    path("account", account.account, name="account"),
    path("account/tokens/<int:token_id>/revoke", account.revoke_api_token, name="revoke_token"),
    path("account/two-factor/setup", account.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify", account.two_factor_verify, name="two_factor_verify"),
    *app_routes("pages"),
]
