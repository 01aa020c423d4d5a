from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, people_views, second_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-in/kod/", second_factor_views.login_code, name="login_code"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("roller/", views.roles, name="roles"),
    path("tvastegsverifiering/", second_factor_views.overview, name="second_factor"),
    path(
        "tvastegsverifiering/aktivera/",
        second_factor_views.enrol,
        name="second_factor_enrol",
    ),
    path(
        "tvastegsverifiering/reservkoder/",
        second_factor_views.regenerate_codes,
        name="second_factor_codes",
    ),
    path(
        "tvastegsverifiering/stang-av/",
        second_factor_views.remove,
        name="second_factor_remove",
    ),
    path("roller/<int:pk>/ta-bort/", views.revoke, name="revoke"),
    path("roller/bjud-in/", people_views.invite, name="invite"),
    path(
        "roller/inbjudan/<int:pk>/aterkalla/",
        people_views.withdraw,
        name="invitation_withdraw",
    ),
    path("inbjudan/<str:token>/", people_views.invitation, name="invitation"),
    path("roller/fran-inloggningen/", people_views.claim_role_list, name="claim_roles"),
    path(
        "roller/fran-inloggningen/<int:pk>/ta-bort/",
        people_views.claim_role_delete,
        name="claim_role_delete",
    ),
    path("oidc/logga-in/", oidc.OIDCLoginView.as_view(), name="oidc_login"),
    path("oidc/tillbaka/", oidc.OIDCCallbackView.as_view(), name="oidc_callback"),
]
