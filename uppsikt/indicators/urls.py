from django.urls import path

from .views import assessments, definitions, imports, rules

app_name = "indicators"
urlpatterns = [
    path("indikatorer/", definitions.definition_list, name="list"),
    path("indikatorer/inlasning/", imports.upload, name="import"),
    path("indikatorer/inlasning/mall.xlsx", imports.download_template, name="template"),
    path(
        "indikatorer/inlasning/<uuid:pk>/hoppa-over/",
        imports.skip_bad_rows,
        name="import_skip",
    ),
    path("indikatorer/<int:pk>/", definitions.definition_detail, name="definition"),
    path("indikatorer/<int:pk>/jamfor/<str:period>/", definitions.comparison, name="comparison"),
    path("indikatorer/malregel/<int:pk>/", rules.edit_rule, name="rule"),
    path(
        "indikatorer/mal/<int:goal_pk>/<str:period>/",
        assessments.goal_assessment,
        name="goal_assessment",
    ),
]
