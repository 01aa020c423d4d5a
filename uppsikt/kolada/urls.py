from django.urls import path  # noqa: F401  (the catalogue's and the sync's pages are added here)

app_name = "kolada"
urlpatterns: list = []
