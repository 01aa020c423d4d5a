from django.urls import path

from . import version_views, views

app_name = "plans"
urlpatterns = [
    path("planer/<int:pk>/", views.plan_detail, name="detail"),
    path("planer/<int:pk>/revidera/", version_views.plan_revise, name="revise"),
    path("planer/<int:pk>/besluta/", version_views.plan_decide, name="decide"),
    path("planer/<int:pk>/jamfor/", version_views.plan_compare, name="compare"),
    path("mal/<int:pk>/", views.goal_detail, name="goal"),
    path("mal/<int:pk>/redigera/", views.goal_edit, name="goal_edit"),
]
