from django.urls import path

from .views import assessments, authoring, definitions, derivation, imports, rules

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
    path("indikatorer/<int:pk>/berakning/", derivation.edit_derivation, name="derivation"),
    path("indikatorer/<int:pk>/jamfor/<str:period>/", definitions.comparison, name="comparison"),
    path("indikatorer/malregel/<int:pk>/", rules.edit_rule, name="rule"),
    # One indicator of a plan (the plans.Indicator's pk): its definition, rule, target values.
    path("indikatorer/i-plan/<int:pk>/", authoring.indicator_target, name="indicator_target"),
    path("indikatorer/malregel/forhandsgranska/", authoring.rule_preview, name="rule_preview"),
    path(
        "indikatorer/mal/<int:goal_pk>/<str:period>/",
        assessments.goal_assessment,
        name="goal_assessment",
    ),
]
