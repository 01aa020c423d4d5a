from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organisationer/<str:code>/", views.organisation_detail, name="detail"),
    path("organisationer/<str:code>/logotyp", views.organisation_logo, name="logo"),
    path("organisationer/<str:code>/profil.css", views.organisation_brand_css, name="brand_css"),
    path("organisationer/<str:code>/<slug:slug>/", views.unit_detail, name="unit"),
]
