from django.urls import path

from . import views

app_name = "kolada"
urlpatterns = [
    path("kolada/<str:code>/synk/", views.sync_page, name="sync"),
    path("kolada/<str:code>/synk/starta/", views.start, name="sync_start"),
]
