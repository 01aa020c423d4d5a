from django.urls import path

from . import preference_views

app_name = "reminders"
urlpatterns = [
    path("konto/paminnelser/", preference_views.preference, name="preference"),
]
