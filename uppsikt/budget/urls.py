from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("budget/<int:pk>/", views.table_detail, name="table"),
    path("budget/<int:pk>.xlsx", views.table_xlsx, name="table_xlsx"),
    path("budget/rad/<int:pk>/", views.row_detail, name="row"),
    path("budget/enhet/<str:code>/<slug:slug>/", views.unit_tables, name="unit"),
]
