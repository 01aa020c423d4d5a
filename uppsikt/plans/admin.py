from django.contrib import admin

from .models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    Perspective,
    Plan,
    Section,
    Strategy,
)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "year", "version", "status", "decided_by", "decided_on"]
    list_filter = ["status", "year", "unit__organisation"]
    search_fields = ["title"]
    list_select_related = ["unit", "decided_by"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "kind", "number"]
    list_filter = ["kind", "plan"]
    search_fields = ["text"]
    filter_horizontal = ["contributes_to"]
    inlines = [IndicatorInline]
    list_select_related = ["plan"]


class PlanPartAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "position"]
    list_filter = ["plan"]
    list_select_related = ["plan"]


for model in (Perspective, FocusArea, Section, Strategy, Assignment, Activity):
    admin.site.register(model, PlanPartAdmin)
admin.site.register(Indicator)
