from django.urls import path

from . import views

app_name = "schedule"
urlpatterns = [
    path("arshjul/<str:code>/", views.current, name="current"),
    path("arshjul/<str:code>.ics", views.feed, name="feed"),
    path("arshjul/<str:code>/<int:year>/", views.year_page, name="year"),
    path("arshjul/<str:code>/<int:year>.ics", views.year_feed, name="year_feed"),
    path(
        "arshjul/<str:code>/<int:year>/<int:pk>/andra/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "arshjul/<str:code>/<int:year>/<int:pk>/ta-bort/",
        views.milestone_delete,
        name="milestone_delete",
    ),
]
