from django.urls import path

from . import attachment_views, deadline_views, dialogue_views, overview_views, views

app_name = "followup"
urlpatterns = [
    path("uppfoljning/", views.index, name="index"),
    path("uppfoljning/<str:code>/", views.period_list, name="periods"),
    path("uppfoljning/<str:code>/nytt/", views.period_create, name="period_create"),
    path("uppfoljning/<str:code>/<slug:slug>/", views.dashboard, name="dashboard"),
    path(
        "uppfoljning/<str:code>/<slug:slug>/andra/<slug:action>/",
        views.period_change,
        name="period_change",
    ),
    path(
        "uppfoljning/<str:code>/<slug:slug>/oversikt/paminn/", overview_views.remind, name="remind"
    ),
    path("uppfoljning/<str:code>/<slug:slug>/oversikt.xlsx", overview_views.download, name="xlsx"),
    path(
        "uppfoljning/<str:code>/<slug:slug>/sista-dagar/",
        deadline_views.period_deadlines,
        name="deadlines",
    ),
    path("uppfoljning/<str:code>/<slug:slug>/<slug:unit_slug>/", views.unit_followup, name="unit"),
    path(
        "uppfoljning/<str:code>/<slug:slug>/<slug:unit_slug>/rapport/<slug:action>/",
        views.report_action,
        name="report_action",
    ),
    *dialogue_views.urlpatterns,  # the review dialogue, earlier texts, copy forward
]
urlpatterns += attachment_views.urlpatterns
