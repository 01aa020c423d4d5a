"""Measurements: one value per organisation × period × kön, with corrections kept.

Statistics are public: everyone reads every value (as on the indicator pages). Writing
goes through ``indicators.actions.record_measurement`` (its write rule, history and audit):
a correction keeps the old value as a revision. Values are decimal strings ("74.1"), never
floats.
"""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from uppsikt.indicators.actions import record_measurement
from uppsikt.indicators.models import EXAMPLE_SOURCE, IndicatorDefinition, Measurement
from uppsikt.organisations.models import Organisation

from .auth import writer
from .errors import invalid
from .pagination import PageParams, filtered, page_of, paginate
from .schemas import READ, WRITE, Id, PathId, answers, choice

router = Router(tags=["Mätvärden"])
PERIOD = r"^\d{4}(T[1-3]|-(0[1-9]|1[0-2]))?$"


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
    organisation: str | None = Field(None, description="Organisationens kod, t.ex. 1880.")
    definition: Id | None = Field(None, description="Definitionens id.")
    key: str | None = Field(None, description="Definitionens nyckel.")
    period: str | None = Field(None, pattern=PERIOD, description="2023, 2023T2 eller 2023-07.")
    year: int | None = Field(None, ge=1000, le=9999)
    gender: choice(Measurement.Gender) | None = None


class MeasurementIn(Schema):
    model_config = {"extra": "forbid"}
    definition: str = Field(..., max_length=80, description="Definitionens nyckel.")
    organisation: str = Field(..., max_length=4, description="Organisationens kod.")
    period: str = Field(..., pattern=PERIOD, description="2023, 2023T2 eller 2023-07.")
    gender: choice(Measurement.Gender) = "T"
    value: Decimal = Field(
        ..., max_digits=16, decimal_places=4, description='Gärna som text: "74.1".'
    )
    status: choice(Measurement.DataStatus) = "slutlig"
    source: str = Field("", max_length=200)


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


@router.get(
    "/{measurement_id}", response=answers(200, MeasurementOut, *READ), summary="Ett mätvärde"
)
def get_measurement(request, measurement_id: int = PathId()):
    return get_object_or_404(_measurements(), pk=measurement_id)


@router.post(
    "",
    response={**answers(201, MeasurementOut, *WRITE), 200: MeasurementOut},
    summary="Registrera eller rätta ett mätvärde",
    description="201 när värdet är nytt, 200 när ett befintligt värde rättades eller var oförändrat. Ett rättat värde sparas som historik.",
)
def put_measurement(request, payload: MeasurementIn):
    user = writer(request)
    definition = IndicatorDefinition.objects.filter(key=payload.definition).first()
    if definition is None:
        raise invalid("definition", _("Okänd indikatordefinition."), "unknown")
    organisation = Organisation.objects.filter(code=payload.organisation).first()
    if organisation is None:
        raise invalid("organisation", _("Okänd organisation."), "unknown")
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
