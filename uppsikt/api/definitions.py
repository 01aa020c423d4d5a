"""Indicator definitions: what is measured, in which unit, from which source. Public.

Written through ``indicators.actions.save_definition``: creating needs ``plan`` on some unit;
changing a definition that plans use needs ``plan`` on every unit whose indicators it measures.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from uppsikt.accounts.access import Perm, require_somewhere
from uppsikt.indicators.actions import require_definition_change, save_definition
from uppsikt.indicators.derived import describe, formula_data
from uppsikt.indicators.models import DerivedIndicator, IndicatorDefinition, Polarity

from .auth import allowed, writer
from .errors import explain_pattern
from .pagination import PageParams, filtered, page_of, paginate
from .schemas import INPUT, READ, WRITE, PathId, Text, answers, choice

router = Router(tags=["Indikatordefinitioner"])
KEY = explain_pattern(  # the model's SlugField
    r"^[-a-zA-Z0-9_]+$", gettext_lazy("Använd bokstäver a–z, siffror, bindestreck och understreck.")
)


class DerivedOut(Schema):
    """Ett beräknat värde: räknas om när indata ändras, läses aldrig in."""

    kind: str = Field(..., description="kvot (indata 1 / indata 2 × faktor), summa, skillnad.")
    inputs: list[str] = Field(..., description="Indatas nycklar i formelns ordning.")
    factor: str = Field(..., description="Kvotens faktor som exakt tal, t.ex. 1000.")
    decimals: int
    formula: str = Field(..., description="Formeln på svenska.")


class DefinitionOut(Schema):
    id: int
    key: str
    name: str
    description: str
    unit: str
    polarity: str
    source_kind: str
    source_code: str
    by_gender: bool
    derived: DerivedOut | None = Field(
        None, description="Formeln när indikatorn beräknas ur andra (bara läsbar här)."
    )

    @staticmethod
    def resolve_derived(obj: IndicatorDefinition) -> dict | None:
        try:
            derivation = obj.derivation
        except DerivedIndicator.DoesNotExist:
            return None
        return {**(formula_data(derivation) or {}), "formula": describe(derivation)}


class DefinitionFilters(Schema):
    q: str | None = Text(None, max_length=200, description="Sök i namn, nyckel och källans id.")
    source_kind: choice(IndicatorDefinition.SourceKind) | None = None


DefinitionPage = page_of(DefinitionOut, "DefinitionPage")


@router.get("", response=answers(200, DefinitionPage), summary="Indikatordefinitioner")
def list_definitions(request, page: Query[PageParams], filters: Query[DefinitionFilters]):
    queryset = IndicatorDefinition.objects.select_related("derivation").order_by("name", "pk")
    if filters.q:
        queryset = queryset.filter(
            Q(name__icontains=filters.q)
            | Q(key__icontains=filters.q)
            | Q(source_code__iexact=filters.q)
        )
    return paginate(filtered(queryset, filters, {"source_kind": "source_kind"}), page)


@router.get(
    "/{definition_id}", response=answers(200, DefinitionOut, *READ), summary="En definition"
)
def get_definition(request, definition_id: int = PathId()):
    return get_object_or_404(
        IndicatorDefinition.objects.select_related("derivation"), pk=definition_id
    )


class DefinitionIn(Schema):
    model_config = INPUT
    key: str = Field(
        ...,
        max_length=80,
        pattern=KEY,
        description="Unik nyckel, t.ex. andel-nojda: bokstäver a–z, siffror, - och _.",
    )
    name: str = Text(..., max_length=300, required=True)
    description: str = Text("", max_length=100000)
    unit: choice(IndicatorDefinition.Unit)
    polarity: choice(Polarity) = Polarity.HIGHER_BETTER.value
    source_kind: choice(IndicatorDefinition.SourceKind) = "manuell"
    source_code: str = Text("", max_length=50, description="T.ex. Koladas KPI-id N79179.")
    by_gender: bool = False


class DefinitionPatch(Schema):
    """Bara de fält som anges ändras. Nyckeln ändras inte (importer och länkar använder den)."""

    model_config = INPUT
    name: str | None = Text(None, max_length=300, required=True)
    description: str | None = Text(None, max_length=100000)
    unit: choice(IndicatorDefinition.Unit) | None = None
    polarity: choice(Polarity) | None = None
    source_kind: choice(IndicatorDefinition.SourceKind) | None = None
    source_code: str | None = Text(None, max_length=50)
    by_gender: bool | None = None


def _may_define(user, **_ids) -> None:
    require_somewhere(user, Perm.PLAN)


def _may_change(user, definition_id: int) -> None:
    require_definition_change(user, get_object_or_404(IndicatorDefinition, pk=definition_id))


@router.post(
    "",
    response=answers(201, DefinitionOut, *WRITE),
    auth=allowed(_may_define),
    summary="Skapa en indikatordefinition",
    description="Kräver behörighet att ändra planer i någon enhet.",
)
def create_definition(request, payload: DefinitionIn):
    user = writer(request)
    definition = save_definition(None, actor=user, **payload.dict())
    return Status(201, definition)


@router.patch(
    "/{definition_id}",
    response=answers(200, DefinitionOut, *WRITE),
    auth=allowed(_may_change),
    summary="Ändra en indikatordefinition",
    description="En definition som planer använder ändras bara av den som får ändra planerna "
    "i varje enhet vars indikatorer den mäter.",
)
def patch_definition(request, payload: DefinitionPatch, definition_id: int = PathId()):
    user = writer(request)
    definition = get_object_or_404(IndicatorDefinition, pk=definition_id)
    changes = {
        name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None
    }
    return save_definition(definition, actor=user, **changes)
