from django.urls import path

from .views import assessments, editing, followup, plans

app_name = "control"
urlpatterns = [
    path("internkontroll/risk/<int:pk>/", plans.risk_detail, name="risk"),
    path("internkontroll/risk/<int:pk>/bedom/", plans.risk_assess, name="risk_assess"),
    path("internkontroll/risk/<int:pk>/andra/", editing.risk_edit, name="risk_edit"),
    path("internkontroll/risk/<int:risk_pk>/ny-atgard/", editing.measure_new, name="measure_new"),
    path("internkontroll/atgard/<int:pk>/andra/", editing.measure_edit, name="measure_edit"),
    path(
        "internkontroll/atgard/<int:pk>/uppfoljning/<int:period>/<slug:slug>/",
        followup.measure_followup,
        name="measure_followup",
    ),
    path("internkontroll/avvikelse/<int:pk>/", followup.deviation_edit, name="deviation"),
    path("internkontroll/<str:code>/", plans.organisation_index, name="organisation"),
    path("internkontroll/<str:code>/riskskala/", assessments.scale_page, name="scale"),
    path("internkontroll/<str:code>/<int:year>/", plans.region, name="region"),
    path("internkontroll/<str:code>/<int:year>/risker/", plans.risk_list, name="risks"),
    path(
        "internkontroll/<str:code>/<int:year>/samlad-bedomning/",
        assessments.overall,
        name="overall",
    ),
    path(
        "internkontroll/<str:code>/enhet/<slug:slug>/<int:year>/",
        plans.unit_plan,
        name="unit_plan",
    ),
    path(
        "internkontroll/<str:code>/enhet/<slug:slug>/<int:year>.xlsx",
        plans.unit_xlsx,
        name="unit_xlsx",
    ),
    path(
        "internkontroll/<str:code>/enhet/<slug:slug>/<int:year>/importera/",
        plans.unit_import,
        name="unit_import",
    ),
    path(
        "internkontroll/<str:code>/enhet/<slug:slug>/<int:year>/ny-risk/",
        editing.risk_new,
        name="risk_new",
    ),
    path(
        "internkontroll/<str:code>/enhet/<slug:slug>/<int:year>/isk/",
        assessments.unit_isk,
        name="unit_isk",
    ),
    path(
        "internkontroll/<str:code>/enhet/<slug:slug>/uppfoljning/<int:period>/",
        followup.unit_followup_page,
        name="unit_followup",
    ),
]
