"""Measurements: one value per organisation × period × kön, with corrections kept.

Statistics are public: everyone reads every value (as on the indicator pages). Writing
goes through ``indicators.actions.record_measurement`` (its write rule, history and audit):
a correction keeps the old value as a revision. Values are decimal strings ("74.1"), never
floats.

Values by hand (``POST /measurements/by-hand``) are a reporter's, for a plan's indicator in a
follow-up period: ``indicators.manual.enter_values`` (the follow-up's write rule,
preliminary until the unit's report is approved, the same number rules as the import, a
full-year forecast before the year ends); refusals are 409 with a code per field.

Many values at once (``POST /measurements/bulk``) go through the importers' core, the same
validation and set-based merge as a file import: every row is checked first and every bad
row is named; with any bad row nothing is written unless ``skip_bad_rows``; one audit event.
"""

import datetime
import re
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from uppsikt.accounts.access import Perm, can, require_somewhere
from uppsikt.indicators.actions import record_measurement
from uppsikt.indicators.importers import ImportReport, RowError, import_measurements
from uppsikt.indicators.manual import enter_values
from uppsikt.indicators.models import (
    EXAMPLE_SOURCE,
    Assessment,
    Forecast,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
)
from uppsikt.organisations.models import Organisation
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Indicator

from .auth import allowed, writer
from .errors import ApiError, explain_pattern, unknown
from .pagination import PageParams, filtered, page_of, paginate
from .schemas import (
    INPUT,
    NO_NUL,
    READ,
    WRITE,
    Id,
    OrganisationCode,
    PathId,
    Text,
    answers,
    choice,
    decimal_value,
)

router = Router(tags=["Mätvärden"])
# indicators.periods: a year 1000–9999, a tertial or a month of it.
PERIOD = explain_pattern(
    r"^[1-9][0-9]{3}(T[1-3]|-(0[1-9]|1[0-2]))?$",
    gettext_lazy("Ange perioden som 2023 (år), 2023T2 (tertial) eller 2023-07 (månad)."),
)


class MeasurementOut(Schema):
    id: int
    definition_id: int
    definition_key: str
    organisation: str
    period: str
    gender: str
    value: str = Field(description='Exakt decimaltal som text, t.ex. "74.1000".')
    status: str
    source: str
    is_example: bool
    updated_at: datetime.datetime

    @staticmethod
    def resolve_definition_key(obj: Measurement) -> str:
        return obj.definition.key

    @staticmethod
    def resolve_organisation(obj: Measurement) -> str:
        return obj.organisation.code

    @staticmethod
    def resolve_value(obj: Measurement) -> str:
        return format(obj.value, "f")

    @staticmethod
    def resolve_is_example(obj: Measurement) -> bool:
        return obj.source == EXAMPLE_SOURCE


class MeasurementFilters(Schema):
    organisation: str | None = OrganisationCode(
        None, description="Organisationens kod, t.ex. 1880."
    )
    definition: Id | None = Field(None, description="Definitionens id.")
    key: str | None = Text(None, max_length=80, description="Definitionens nyckel.")
    period: str | None = Field(None, pattern=PERIOD, description="2023, 2023T2 eller 2023-07.")
    year: int | None = Field(None, ge=1000, le=9999)
    gender: choice(Measurement.Gender) | None = None


class MeasurementIn(Schema):
    model_config = INPUT
    definition: str = Text(..., max_length=80, required=True, description="Definitionens nyckel.")
    organisation: str = OrganisationCode(description="Organisationens kod.")
    period: str = Field(..., pattern=PERIOD, description="2023, 2023T2 eller 2023-07.")
    gender: choice(Measurement.Gender) = "T"
    value: decimal_value(
        whole=12,
        places=4,
        description='Gärna som text: "74.1" (högst tolv siffror före punkten och fyra efter). '
        "Ett JSON-tal avrundas till fyra decimaler.",
    )
    status: choice(Measurement.DataStatus) = "slutlig"
    source: str = Text("", max_length=200)


MeasurementPage = page_of(MeasurementOut, "MeasurementPage")


def _measurements():
    return Measurement.objects.select_related("definition", "organisation")


@router.get("", response=answers(200, MeasurementPage), summary="Mätvärden")
def list_measurements(request, page: Query[PageParams], filters: Query[MeasurementFilters]):
    queryset = _measurements().order_by(
        "definition_id", "organisation__code", "period", "gender", "pk"
    )
    lookups = {
        "organisation": "organisation__code",
        "definition": "definition_id",
        "key": "definition__key",
        "period": "period",
        "year": "period__startswith",
        "gender": "gender",
    }
    return paginate(filtered(queryset, filters, lookups), page)


# -- many values at once (before "/{measurement_id}", whose pattern would take "bulk") ------

MAX_ROWS = 100_000
# The API writes decimals with a point ("74.1"); the importers read Swedish text ("74,1",
# "1 183") and Decimals. A plain point decimal is turned into a Decimal here, so both work.
_POINT_DECIMAL = re.compile(r"^-?\d{1,16}(\.\d+)?$")


class BulkRow(Schema):
    """One value. The fields are checked by the import (named per row), not by the schema, so
    one answer lists every problem of every row, and skip_bad_rows can skip the bad ones."""

    model_config = INPUT
    indicator: str | None = Field(
        None, max_length=200, description="Definitionens nyckel eller källans id (N79179)."
    )
    organisation: str | int | None = Field(None, description="Organisationens kod, t.ex. 0018.")
    period: str | int | None = Field(None, description="2023, 2023T2 eller 2023-07.")
    gender: str | None = Field(None, max_length=20, description="T (standard), K eller M.")
    value: str | int | float | None = Field(
        None, description='Gärna som text: "74.1" (eller svenskt "74,1").'
    )
    status: str | None = Field(
        None, max_length=20, description="slutlig (standard) eller preliminär."
    )
    source: str | None = Field(None, max_length=300, pattern=NO_NUL)


class BulkIn(Schema):
    model_config = INPUT
    rows: list[BulkRow] = Field(..., min_length=1, max_length=MAX_ROWS)
    skip_bad_rows: bool = Field(
        False, description="Läs in de felfria raderna och hoppa över de felaktiga."
    )
    dry_run: bool = Field(False, description="Kontrollera bara; ingenting sparas.")
    source: str = Text("", max_length=200, description="Källa för rader som inte anger egen.")
    name: str = Text("api", max_length=200, description="Namn på inläsningen i historiken.")


class RowProblem(Schema):
    index: int | None = Field(
        None, description="Radens plats i rows, från 0 (saknas: hela begäran eller dess form)."
    )
    field: str = Field(description="T.ex. rows.3.value.")
    code: str = Field(description="T.ex. unknown_indicator, bad_number, duplicate, forbidden.")
    message: str


class BulkOut(Schema):
    imported: bool
    dry_run: bool
    rows: int
    created: int
    changed: int
    unchanged: int
    skipped: int
    batch_id: int | None
    errors: list[RowProblem] = Field(description="Raderna som hoppades över, med skälen.")


class BulkError(Schema):
    code: str
    message: str
    errors: list[RowProblem]


def _api_value(value: object) -> object:
    if isinstance(value, float):
        return Decimal(repr(value))  # what the client wrote: 74.1, not 74.09999…
    if isinstance(value, str) and _POINT_DECIMAL.match(value.strip()):
        return Decimal(value.strip())
    return value


def rows_status(problems) -> int:
    """An import refused by its rows (each problem has a ``code``): 403 when a row is for an
    organisation the caller may not write, else 409. The rows' form is the import's to judge,
    not the schema's, so that skip_bad_rows can skip them: a refused row is a conflict with
    the rules and the data, not a request that breaks the schema."""
    codes = {problem.code if hasattr(problem, "code") else problem["code"] for problem in problems}
    return 403 if "forbidden" in codes else 409


def _problem(error: RowError) -> dict:
    if error.line is None:
        return {"index": None, "field": "", "code": error.code, "message": error.message}
    index = error.line - 1
    field = f"rows.{index}.{error.column}" if error.column else f"rows.{index}"
    return {"index": index, "field": field, "code": error.code, "message": error.message}


def _result(report: ImportReport, dry_run: bool) -> dict:
    return {
        "imported": report.imported,
        "dry_run": dry_run,
        "rows": report.rows,
        "created": report.created,
        "changed": report.changed,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "batch_id": report.batch_id,
        "errors": [_problem(error) for error in report.errors],
    }


def _may_measure(user, **_path) -> None:
    require_somewhere(user, Perm.PLAN)


@router.post(
    "/bulk",
    auth=allowed(_may_measure),
    response={**answers(200, BulkOut, 400, 413), 403: BulkError, 409: BulkError},
    summary="Läs in många mätvärden på en gång",
    description="Alla rader kontrolleras först, av inläsningen som en fil (inte av schemat). "
    "Med någon felaktig rad läses ingenting in (409, varje fel med radens index, fält, kod "
    "och skäl; 403 om någon rad gäller en organisation du inte får skriva värden för), om "
    "inte skip_bad_rows anges: då "
    "läses de felfria raderna in och de felaktiga redovisas. Att läsa in samma rader igen "
    "ändrar ingenting; ett rättat värde sparas som historik. En händelse i ändringsloggen "
    "per inläsning.",
)
def bulk_measurements(request, payload: BulkIn):
    user = writer(request)
    rows = []
    for row in payload.rows:
        values = row.dict(exclude_none=True)
        if "value" in values:
            values["value"] = _api_value(values["value"])
        rows.append(values)
    report = import_measurements(
        rows,
        actor=user,
        filename=payload.name,
        format="api",
        skip_bad_rows=payload.skip_bad_rows,
        dry_run=payload.dry_run,
        default_source=payload.source,
        total=len(rows),
    )
    if report.errors and not report.imported and not payload.dry_run:
        raise ApiError(
            rows_status(report.errors),
            "invalid_rows",
            _("%(count)s av %(rows)s rader har fel. Ingenting lästes in.")
            % {"count": report.bad_lines, "rows": report.rows},
            [_problem(error) for error in report.errors],
        )
    return _result(report, payload.dry_run)


# -- values by hand in a follow-up -------------------------------------------------------------

HandValue = str | int | float | None


class ByHandIn(Schema):
    model_config = INPUT
    indicator: Id = Field(description="Planens indikator (id), kopplad till en definition.")
    period: Id = Field(description="Uppföljningstillfället (id).")
    total: HandValue = Field(None, description='Värdet totalt: "74.1" eller svenskt "74,1".')
    women: HandValue = Field(None, description="Värdet för kvinnor (definition per kön).")
    men: HandValue = Field(None, description="Värdet för män (definition per kön).")
    forecast: HandValue = Field(
        None, description="Helårsprognos (bara före årets slut: tertial, månad)."
    )


class ForecastOut(Schema):
    period: str = Field(description="Perioden prognosen lämnades för, t.ex. 2023-07.")
    value: str
    status: str


class ProposalOut(Schema):
    status: str = Field(description="Ett steg i organisationens bedömningsskala eller ej_bedombar.")
    status_label: str = Field(description="Stegets benämning i organisationens styrmodell.")
    reason: str
    preliminary: bool


class ByHandOut(Schema):
    changed: bool
    measurements: list[MeasurementOut]
    forecast: ForecastOut | None
    proposal: ProposalOut | None = Field(description="Målets förslag till bedömning, nu.")


def _may_report(user, **_path) -> None:
    require_somewhere(user, Perm.REPORT)  # which unit is the indicator's: checked again


@router.post(
    "/by-hand",
    auth=allowed(_may_report),
    response=answers(200, ByHandOut, *WRITE),
    summary="Ange värden och helårsprognos för hand i en uppföljning",
    description="En rapportör anger periodens värde (totalt, kvinnor och män) och en "
    "helårsprognos för en indikator i målets uppföljning. Värdena är preliminära tills "
    "enhetens rapport har godkänts och förslaget till bedömning räknas om direkt. Samma "
    "regler för tal som vid inläsning; ett fel per fält med kod (bad_number, unit_mismatch, "
    "not_by_gender, no_forecast, missing, not_measured) ger 409 och ingenting ändras.",
)
def enter_by_hand(request, payload: ByHandIn):
    user = writer(request)
    indicator = Indicator.objects.select_related("goal__plan__unit").filter(pk=payload.indicator)
    found = indicator.first()
    if found is None or not can(user, Perm.VIEW, found.goal.plan.unit):
        raise unknown("indicator", _("Okänd indikator."))
    target = IndicatorTarget.objects.select_related("definition").filter(indicator=found).first()
    if target is None:
        raise ApiError(
            409,
            "not_linked",
            _("Indikatorn är inte kopplad till en definition och kan inte få värden."),
            [{"field": "indicator", "code": "not_linked", "message": _("Ingen definition.")}],
        )
    period = ReportingPeriod.objects.filter(pk=payload.period).first()
    if period is None:
        raise unknown("period", _("Okänt uppföljningstillfälle."))
    entered = enter_values(
        target,
        period,
        actor=user,
        **{
            name: _api_value(getattr(payload, name))
            for name in ("total", "women", "men", "forecast")
        },
    )
    organisation = found.goal.plan.unit.organisation_id
    key = period.assessment_period
    stored = _measurements().filter(
        definition=target.definition, organisation_id=organisation, period=key
    )
    forecast = Forecast.objects.filter(
        definition=target.definition, organisation_id=organisation, period=key
    ).first()
    assessment = Assessment.objects.filter(goal=found.goal, period=key).first()
    return {
        "changed": entered.changed,
        "measurements": list(stored.order_by("gender")),
        "forecast": {
            "period": forecast.period,
            "value": format(forecast.value, "f"),
            "status": forecast.status,
        }
        if forecast
        else None,
        "proposal": {
            "status": assessment.proposed_status,
            "status_label": assessment.scale.status_label(
                assessment.proposed_status, as_stored=True
            ),
            "reason": assessment.proposed_reason,
            "preliminary": assessment.proposed_preliminary,
        }
        if assessment
        else None,
    }


# -- one value ---------------------------------------------------------------------------------


@router.get(
    "/{measurement_id}", response=answers(200, MeasurementOut, *READ), summary="Ett mätvärde"
)
def get_measurement(request, measurement_id: int = PathId()):
    return get_object_or_404(_measurements(), pk=measurement_id)


@router.post(
    "",
    response={**answers(201, MeasurementOut, *WRITE), 200: MeasurementOut},
    auth=allowed(_may_measure),
    summary="Registrera eller rätta ett mätvärde",
    description="201 när värdet är nytt, 200 när ett befintligt värde rättades eller var oförändrat. Ett rättat värde sparas som historik.",
)
def put_measurement(request, payload: MeasurementIn):
    user = writer(request)
    definition = IndicatorDefinition.objects.filter(key=payload.definition).first()
    if definition is None:
        raise unknown("definition", _("Okänd indikatordefinition."))
    organisation = Organisation.objects.filter(code=payload.organisation).first()
    if organisation is None:
        raise unknown("organisation", _("Okänd organisation."))
    existed = Measurement.objects.filter(
        definition=definition,
        organisation=organisation,
        period=payload.period,
        gender=payload.gender,
    ).exists()
    measurement = record_measurement(
        definition,
        organisation,
        payload.period,
        payload.value,
        actor=user,
        gender=payload.gender,
        status=payload.status,
        source=payload.source,
    )
    return Status(200 if existed else 201, _measurements().get(pk=measurement.pk))
