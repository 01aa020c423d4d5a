from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("planer/<int:pk>/", views.plan_detail, name="detail"),
    path("mal/<int:pk>/", views.goal_detail, name="goal"),
    path("mal/<int:pk>/redigera/", views.goal_edit, name="goal_edit"),
]
