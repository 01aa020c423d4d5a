from django.urls import path, re_path

from . import views

app_name = "opendata"
# Stable addresses: /oppna-data/<dataset>.csv and .json (``?organisation=CODE`` for one
# organisation), the DCAT-AP-SE catalogue beside them. Never rename a dataset's slug.
urlpatterns = [
    path("oppna-data/", views.index, name="index"),
    path("oppna-data/katalog.ttl", views.catalogue_turtle, name="catalogue_turtle"),
    path("oppna-data/katalog.jsonld", views.catalogue_jsonld, name="catalogue_jsonld"),
    re_path(r"^oppna-data/(?P<slug>[a-z]+)\.(?P<fmt>csv|json)$", views.download, name="download"),
]
