"""A goal whose indicator is met in total but not for kvinnor (the kön flag), for tests."""

from decimal import Decimal

from uppsikt.indicators.actions import propose_assessment, record_measurement
from uppsikt.indicators.models import IndicatorDefinition, IndicatorTarget
from uppsikt.indicators.rules import ThresholdRule, to_data

from .builders import user_with_role
from .followup_setup import small_setting

FLAG = "Kvinnor når inte målet (totalen gör det)"
GOAL_FLAG = "1 indikator är uppfylld totalt men inte för kvinnor"
FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


def make_flag_setting():
    """Region Test's first goal: a share per kön, minimum 50 %; the total (60) meets it,
    kvinnor (45) do not, män (75) do, per 31 juli 2023."""
    setting = small_setting()
    goal = setting.goals[0]
    definition = IndicatorDefinition.objects.create(
        key="andel-kon", name="Andel per kön", unit="procent", by_gender=True
    )
    IndicatorTarget.objects.create(
        indicator=goal.indicators.all()[0],
        definition=definition,
        rule=to_data(ThresholdRule(minimum=Decimal(50))),
    )
    organisation = goal.plan.unit.organisation
    for gender, value in (("T", "60"), ("K", "45"), ("M", "75")):
        record_measurement(definition, organisation, "2023-07", value, gender=gender)
    setting.assessment = propose_assessment(goal, "2023-07")
    setting.definition = definition
    setting.planner = user_with_role("flagg-planerare", "planerare")
    return setting
