from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import CatalogueRefresh, KoladaKpi, SyncRun, SyncSettings


@admin.register(KoladaKpi)
class KoladaKpiAdmin(ReadOnlyAdmin):
    """Read from Kolada's catalogue; never edited here."""

    list_display = ["code", "title", "municipality_type", "divided_by_gender", "fetched_at"]
    search_fields = ["code", "title"]


@admin.register(SyncSettings)
class SyncSettingsAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "comparison", "scheduled", "updated_at"]


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "status", "started_at", "finished_at", "values_read"]


@admin.register(CatalogueRefresh)
class CatalogueRefreshAdmin(ReadOnlyAdmin):
    list_display = ["fetched_at", "started_by", "created", "changed", "unchanged", "removed"]
