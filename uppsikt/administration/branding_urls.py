from django.urls import path

from . import branding_views

app_name = "branding"
urlpatterns = [
    path(
        "administration/organisationer/<str:code>/profil/",
        branding_views.profile,
        name="profile",
    ),
]
