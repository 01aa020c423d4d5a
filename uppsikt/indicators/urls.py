from django.urls import path

from . import assessment_views, import_views, rule_views, views

app_name = "indicators"
urlpatterns = [
    path("indikatorer/", views.definition_list, name="list"),
    path("indikatorer/inlasning/", import_views.upload, name="import"),
    path("indikatorer/inlasning/mall.xlsx", import_views.download_template, name="template"),
    path(
        "indikatorer/inlasning/<uuid:pk>/hoppa-over/",
        import_views.skip_bad_rows,
        name="import_skip",
    ),
    path("indikatorer/<int:pk>/", views.definition_detail, name="definition"),
    path("indikatorer/<int:pk>/jamfor/<str:period>/", views.comparison, name="comparison"),
    path("indikatorer/malregel/<int:pk>/", rule_views.edit_rule, name="rule"),
    path(
        "indikatorer/mal/<int:goal_pk>/<str:period>/",
        assessment_views.goal_assessment,
        name="goal_assessment",
    ),
]
