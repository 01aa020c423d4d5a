from django.contrib import admin

from .models import Job
from .reaper import reap_jobs


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "kind",
        "status",
        "done",
        "total",
        "created_by",
        "created_at",
        "worker",
        "heartbeat_at",
    )
    list_filter = ("kind", "status")
    readonly_fields = [field.name for field in Job._meta.fields]

    def changelist_view(self, request, extra_context=None):
        reap_jobs()  # the list never shows a dead worker's job as running
        return super().changelist_view(request, extra_context)
