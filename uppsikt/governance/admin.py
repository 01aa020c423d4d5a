from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import AssessmentStep, GoalLevel, GovernanceModel, StandardPerspective


@admin.register(GovernanceModel)
class GovernanceModelAdmin(ReadOnlyAdmin):
    """Changed on the organisation's page Styrmodell, which checks the keys in use."""

    list_display = ["organisation", "name", "calendar", "updated_at"]


@admin.register(GoalLevel)
class GoalLevelAdmin(ReadOnlyAdmin):
    list_display = ["name", "key", "model", "position"]


@admin.register(AssessmentStep)
class AssessmentStepAdmin(ReadOnlyAdmin):
    list_display = ["label", "key", "model", "counts_as_met", "position"]


@admin.register(StandardPerspective)
class StandardPerspectiveAdmin(ReadOnlyAdmin):
    list_display = ["name", "model", "position"]
