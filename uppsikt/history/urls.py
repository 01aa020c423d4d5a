from django.urls import path

from . import views

app_name = "history"
urlpatterns = [
    path("andringslogg/objekt/<str:label>/<str:pk>/", views.object_history, name="object"),
    path("andringslogg/person/<int:user_id>/", views.person_history, name="person"),
    path("andringslogg/mina/", views.my_history, name="mine"),
    path("andringslogg/kontroll/", views.verify_chain, name="verify"),
    path("andringslogg/ankare/", views.anchors, name="anchors"),
    path("andringslogg/ankare.txt", views.anchors_text, name="anchors_text"),
]
