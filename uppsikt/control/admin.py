"""Read-only admin: every change to internal control goes through ``actions`` (permission
checks, validation, audit), which the admin's own save would bypass."""

from django.contrib import admin

from .models import (
    ControlAssessment,
    ControlPlan,
    Deviation,
    Measure,
    ProcessArea,
    Risk,
    RiskAssessment,
    RiskScale,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ControlPlan)
class ControlPlanAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "section_number"]
    list_filter = ["year"]


@admin.register(Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "area", "control_plan", "is_region_wide"]
    list_filter = ["is_region_wide", "control_plan__year"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "risk", "responsible", "frequency"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["risk", "year", "likelihood", "consequence", "score", "decision", "is_example"]
    list_filter = ["year", "decision", "is_example"]


@admin.register(Deviation)
class DeviationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "followup", "is_example"]


@admin.register(ControlAssessment)
class ControlAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period", "kind", "level", "proposed_level", "is_example"]
    list_filter = ["kind", "level"]


@admin.register(RiskScale)
class RiskScaleAdmin(ReadOnlyAdmin):
    """Changed on the page Riskskala, which checks the steps already in use."""

    list_display = ["organisation", "medium_from", "high_from", "updated_at"]


@admin.register(ProcessArea)
class ProcessAreaAdmin(ReadOnlyAdmin):
    list_display = ["name", "control_plan", "position"]
