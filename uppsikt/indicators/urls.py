from django.urls import path

from . import assessment_views, views

app_name = "indicators"
urlpatterns = [
    path("indikatorer/", views.definition_list, name="list"),
    path("indikatorer/<int:pk>/", views.definition_detail, name="definition"),
    path("indikatorer/<int:pk>/jamfor/<str:period>/", views.comparison, name="comparison"),
    path(
        "indikatorer/mal/<int:goal_pk>/<str:period>/",
        assessment_views.goal_assessment,
        name="goal_assessment",
    ),
]
