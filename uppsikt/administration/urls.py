from django.urls import path

from . import styrmodell_views, views

app_name = "administration"
urlpatterns = [
    path("organisationer/", views.organisations, name="organisations"),
    path("organisationer/ny/", views.new_organisation, name="new_organisation"),
    path("organisationer/<str:code>/enheter/", views.units, name="units"),
    path("organisationer/<str:code>/enheter/las-in/", views.units_import, name="units_import"),
    path("organisationer/<str:code>/enheter/enheter.csv", views.units_export, name="units_export"),
    path("organisationer/<str:code>/enheter/<slug:slug>/andra/", views.unit_edit, name="unit_edit"),
    path("styrmodell/<str:code>/", styrmodell_views.styrmodell_page, name="styrmodell"),
]
