from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .actions import record_measurement
from .models import (
    AggregationChoice,
    Assessment,
    DerivedIndicator,
    DerivedInput,
    Forecast,
    ImportBatch,
    ImportFingerprint,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
    MeasurementRevision,
    ValueChunk,
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

    def save_model(self, request, obj, form, change):
        # Through the action, so a correction keeps the earlier value and is audited.
        saved = record_measurement(
            obj.definition,
            obj.organisation,
            obj.period,
            obj.value,
            gender=obj.gender,
            status=obj.status,
            source=obj.source,
            actor=request.user,
        )
        obj.pk = saved.pk

    def get_readonly_fields(self, request, obj=None):
        # The key of an existing value is not edited: a value for another key is a new one.
        if obj is not None:
            return ["definition", "organisation", "period", "gender"]
        return []


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["goal", "period", "proposed_status", "decided_status", "decided_by"]
    readonly_fields = ["proposed_status", "proposed_reason", "proposed_preliminary"]


@admin.register(MeasurementRevision)
class MeasurementRevisionAdmin(ReadOnlyAdmin):
    """A value's earlier versions: written by ``record_measurement``, never edited."""

    list_display = ("__str__", "value", "status", "source", "valid_until")


@admin.register(AggregationChoice)
class AggregationChoiceAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "plan", "goal", "rule")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("filename", "format", "imported_by", "imported_at", "rows", "created")


@admin.register(Forecast)
class ForecastAdmin(ReadOnlyAdmin):
    """Read-only: forecasts are entered in the follow-up (``manual.enter_values``)."""

    list_display = ("definition", "organisation", "period", "value")


@admin.register(DerivedIndicator)
class DerivedIndicatorAdmin(ReadOnlyAdmin):
    """Defined on the indicator's page, which refuses a formula that refers to itself."""

    list_display = ["definition", "kind", "factor", "decimals"]


@admin.register(DerivedInput)
class DerivedInputAdmin(ReadOnlyAdmin):
    list_display = ["derived", "position", "definition"]


@admin.register(ValueChunk)
class ValueChunkAdmin(ReadOnlyAdmin):
    """Kept by the database's triggers and the imports (importers/fingerprints.py)."""

    list_display = ["definition_id", "year", "digest", "generation"]


@admin.register(ImportFingerprint)
class ImportFingerprintAdmin(ReadOnlyAdmin):
    list_display = ["digest", "rows", "chunks", "batch"]
