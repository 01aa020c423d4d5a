from django.urls import path

from . import findable, hubs, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sitemap.xml", findable.sitemap, name="sitemap"),
    path("robots.txt", findable.robots, name="robots"),
    path("sok/", views.search, name="search"),
    path("organisationer/", hubs.organisations, name="organisations"),
    path("internkontroll/", hubs.control_index, name="control"),
    path("budget/", hubs.budget_index, name="budget"),
]
