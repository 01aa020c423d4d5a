from django.contrib import admin

from .models import (
    Assessment,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
    MeasurementRevision,
)


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "polarity", "source_kind", "source_code", "by_gender"]
    list_filter = ["source_kind", "unit", "by_gender"]
    search_fields = ["name", "key", "source_code"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "definition", "rule_is_proposed"]
    raw_id_fields = ["indicator"]


class RevisionInline(admin.TabularInline):
    model = MeasurementRevision
    extra = 0
    readonly_fields = ["value", "status", "source", "valid_until"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["definition", "organisation", "period", "gender", "value", "status", "source"]
    list_filter = ["status", "gender", "definition"]
    inlines = [RevisionInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["goal", "period", "proposed_status", "decided_status", "decided_by"]
    readonly_fields = ["proposed_status", "proposed_reason", "proposed_preliminary"]
