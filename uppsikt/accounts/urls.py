from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("roller/", views.roles, name="roles"),
    path("roller/<int:pk>/ta-bort/", views.revoke, name="revoke"),
    path("oidc/logga-in/", oidc.OIDCLoginView.as_view(), name="oidc_login"),
    path("oidc/tillbaka/", oidc.OIDCCallbackView.as_view(), name="oidc_callback"),
]
