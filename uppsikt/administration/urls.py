from django.urls import path

from . import styrmodell_views

app_name = "administration"
urlpatterns = [
    path("styrmodell/<str:code>/", styrmodell_views.styrmodell_page, name="styrmodell"),
]
