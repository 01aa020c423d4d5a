from django.urls import path

from . import published, views

app_name = "reports"
REPORT = "rapporter/<str:code>/<slug:slug>/<slug:unit_slug>/"
urlpatterns = [
    path("rapporter/", published.published_list, name="published"),
    path("rapporter/<str:code>/mall/", views.template_page, name="template"),
    path(REPORT, views.report_page, name="page"),
    path(REPORT + "skapa/", views.generate, name="generate"),
    # The latest approved version's files; each version's page and files keep their URL.
    path(REPORT + "fil/<slug:fmt>/", published.download, name="download"),
    path(REPORT + "version/<int:number>/", published.version_page, name="version"),
    path(
        REPORT + "version/<int:number>/fil/<slug:fmt>/",
        published.version_download,
        name="version_download",
    ),
]
