from django.urls import path

from . import edit_views, urls_numbers, views

app_name = "public"


# The public site lives under /insyn/: /insyn/ lists the organisations, /insyn/<code>/ is
# one organisation's site and its pages sit beneath it.
urlpatterns: list = [
    path("insyn/", views.index, name="index"),
    path("insyn/<str:code>/", views.organisation, name="organisation"),
    path("insyn/<str:code>/mal/", views.goals, name="goals"),
    path("insyn/<str:code>/mal/<int:pk>/", views.goal, name="goal"),
    # The organisation's administrator keeps its key figures (a staff page).
    path(
        "administration/organisationer/<str:code>/nyckeltal/",
        edit_views.key_figures,
        name="key_figures",
    ),
    *urls_numbers.urlpatterns,
]
