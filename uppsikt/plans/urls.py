from django.urls import path

from .views import cascade, creation, editor, pages, review, versions

app_name = "plans"
urlpatterns = [
    path("planer/ny/", creation.plan_create, name="create"),
    path("planer/<int:pk>/", pages.plan_detail, name="detail"),
    path("planer/<int:pk>/nedbrytning/", cascade.plan_breakdown, name="breakdown"),
    path(
        "organisationer/<str:code>/kaskad/<int:year>/",
        cascade.organisation_cascade,
        name="cascade",
    ),
    path(
        "organisationer/<str:code>/kaskad/<int:year>.xlsx",
        cascade.organisation_cascade_xlsx,
        name="cascade_xlsx",
    ),
    path("planer/<int:pk>/revidera/", versions.plan_revise, name="revise"),
    path("planer/<int:pk>/besluta/", versions.plan_decide, name="decide"),
    path("planer/<int:pk>/jamfor/", versions.plan_compare, name="compare"),
    path("planer/<int:pk>/redigera/", editor.plan_edit, name="edit"),
    path("planer/<int:pk>/uppgifter/", editor.plan_details, name="details"),
    path("planer/<int:pk>/lagg-till/<str:kind>/", editor.part_add, name="part_add"),
    path("planer/<int:pk>/<str:kind>/<int:obj>/", editor.part_edit, name="part_edit"),
    path("planer/<int:pk>/<str:kind>/<int:obj>/ta-bort/", editor.part_remove, name="part_remove"),
    path("planer/<int:pk>/<str:kind>/<int:obj>/flytta/", editor.part_move, name="part_move"),
    path("planer/<int:pk>/beredning/", review.plan_review, name="review"),
    path("planer/<int:pk>/kommentera/", review.plan_comment, name="comment"),
    path("planer/<int:pk>/historik/", review.plan_history_page, name="history"),
    path("mal/<int:pk>/", pages.goal_detail, name="goal"),
    path("mal/<int:pk>/redigera/", pages.goal_edit, name="goal_edit"),
]
