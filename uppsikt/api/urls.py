from django.urls import path

from . import views
from .main import api

app_name = "apikeys"
urlpatterns = [
    path("konto/api-nycklar/", views.token_list, name="tokens"),
    path("konto/api-nycklar/<int:pk>/aterkalla/", views.token_revoke, name="revoke"),
]
api_urls = api.urls
