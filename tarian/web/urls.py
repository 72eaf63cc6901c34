"""Web pages."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from tarian.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang", set_language, name="set_language"),
    path("people/search", views.search, name="search"),
    path("people/<str:ref>", views.person, name="person"),
    path("people/<str:ref>/viewed", views.person_viewed, name="person_viewed"),
    path("people/<str:ref>/history", views.person_history, name="person_history"),
]
