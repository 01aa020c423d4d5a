from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [path("att-gora/", views.todo, name="todo")]
