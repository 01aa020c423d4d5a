from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    GoalExemption,
    Indicator,
    Perspective,
    Plan,
    PlanComment,
    PlanEvent,
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


# Written only through the authoring actions (comments and answers are part of a plan's
# record; the event links are the plan's history): shown, never edited here.
@admin.register(GoalExemption)
class GoalExemptionAdmin(ReadOnlyAdmin):
    list_display = ["goal", "plan", "reason"]
    list_select_related = ["goal", "plan"]


@admin.register(PlanComment)
class PlanCommentAdmin(ReadOnlyAdmin):
    list_display = ["plan", "subject_label", "author_name", "created_at"]
    list_select_related = ["plan"]


@admin.register(PlanEvent)
class PlanEventAdmin(ReadOnlyAdmin):
    list_display = ["plan", "event"]
    list_select_related = ["plan", "event"]
