from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("jobb/<uuid:pk>/", views.job_detail, name="detail"),
    path("jobb/<uuid:pk>/status.json", views.job_status, name="status"),
    path("jobb/<uuid:pk>/fil", views.job_file, name="file"),
]
