from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organisationer/<str:code>/", views.organisation_detail, name="detail"),
    path("organisationer/<str:code>/<slug:slug>/", views.unit_detail, name="unit"),
]
