from django.urls import path

from . import hubs, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sok/", views.search, name="search"),
    path("organisationer/", hubs.organisations, name="organisations"),
    path("internkontroll/", hubs.control_index, name="control"),
    path("budget/", hubs.budget_index, name="budget"),
]
