from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("planer/inlasning/", views.proposal_list, name="list"),
    path("planer/inlasning/ny/", views.proposal_upload, name="upload"),
    path("planer/inlasning/<int:pk>/", views.proposal_review, name="review"),
    path("planer/inlasning/<int:pk>/andra/", views.proposal_change, name="change"),
    path("planer/inlasning/<int:pk>/objekt/<str:node_id>/", views.proposal_node, name="node"),
    path(
        "planer/inlasning/<int:pk>/ej-placerat/<int:position>/",
        views.proposal_place,
        name="place",
    ),
    path("planer/inlasning/<int:pk>/anta/", views.proposal_accept, name="accept"),
    path("planer/inlasning/<int:pk>/kassera/", views.proposal_discard, name="discard"),
    path("planer/inlasning/<int:pk>/dokument", views.proposal_document, name="document"),
]
