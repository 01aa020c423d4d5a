from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("rapporter/", views.published_list, name="published"),
    path("rapporter/<str:code>/mall/", views.template_page, name="template"),
    path("rapporter/<str:code>/<slug:slug>/<slug:unit_slug>/", views.report_page, name="page"),
    path(
        "rapporter/<str:code>/<slug:slug>/<slug:unit_slug>/skapa/",
        views.generate,
        name="generate",
    ),
    path(
        "rapporter/<str:code>/<slug:slug>/<slug:unit_slug>/fil/<slug:fmt>/",
        views.download,
        name="download",
    ),
]
