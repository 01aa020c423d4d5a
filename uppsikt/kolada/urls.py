from django.urls import path

from . import catalogue_views, views

app_name = "kolada"
urlpatterns = [
    # -- the sync of an organisation's linked KPIs (views.py, sync.py) ---------------------------
    path("kolada/<str:code>/synk/", views.sync_page, name="sync"),
    path("kolada/<str:code>/synk/starta/", views.start, name="sync_start"),
]

# -- the catalogue and linking a KPI to a definition (catalogue_views.py) ---------------------
urlpatterns += [
    path("kolada/katalog/", catalogue_views.catalogue, name="catalogue"),
    path("kolada/katalog/<str:code>/", catalogue_views.kpi_detail, name="kpi"),
    path("kolada/katalog/<str:code>/koppla/", catalogue_views.link, name="link"),
    path(
        "kolada/katalog/<str:code>/ny-definition/",
        catalogue_views.create_definition,
        name="create_definition",
    ),
    path("kolada/katalog/<str:code>/ta-bort-koppling/", catalogue_views.unlink, name="unlink"),
]
