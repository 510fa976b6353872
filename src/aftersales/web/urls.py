from django.contrib.auth import views as auth_views
from django.urls import path

from aftersales.web import setup, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("setup/", setup.wizard, name="setup"),
    path("setup/<slug:step>/", setup.wizard, name="setup-step"),
    path("password/", views.PasswordChange.as_view(), name="password-change"),
    path("password/set/<uidb64>/<token>/", views.PasswordSet.as_view(), name="password-set"),
]
