"""A small follow-up setting with indicators that take values by hand (issue 14.8)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from uppsikt.followup.actions.entries import save_followup
from uppsikt.indicators.actions import record_measurement
from uppsikt.indicators.models import IndicatorDefinition, IndicatorTarget
from uppsikt.indicators.rules import ChangeRule, QualitativeRule, ThresholdRule, to_data
from uppsikt.organisations.models import Organisation

from .builders import user_with_role
from .followup_setup import Setting, small_setting


@dataclass
class ManualSetting:
    setting: Setting
    share: IndicatorTarget  # procent, per kön, manual, "Minst 80 %"
    visits: IndicatorTarget  # antal, Kolada, "Ska öka", 2022 imported, nothing for 2023
    opinion: IndicatorTarget  # qualitative (goal 2)
    planner: object
    reporter: object

    @property
    def period(self):
        return self.setting.period

    @property
    def goal(self):
        return self.setting.goals[0]


def _target(indicator, definition, rule) -> IndicatorTarget:
    return IndicatorTarget.objects.create(
        indicator=indicator, definition=definition, rule=to_data(rule), rule_is_proposed=False
    )


def manual_setting() -> ManualSetting:
    """Styrelsen's plan (``small_setting``): goal 1's indicators are a manually reported
    share per kön and a count from Kolada with 2022's value only; goal 2's first is
    qualitative. Goal 1's entry is assigned to a rapportör of styrelsen."""
    setting = small_setting()
    first, second = setting.goals[0].indicators.order_by("position")
    share = IndicatorDefinition.objects.create(
        key="utbildade",
        name="Andel utbildade medarbetare",
        unit="procent",
        source_kind="manuell",
        by_gender=True,
    )
    visits = IndicatorDefinition.objects.create(
        key="besok", name="Antal besök", unit="antal", source_kind="kolada"
    )
    opinion = IndicatorDefinition.objects.create(key="omdome", name="Omdöme", unit="ingen")
    organisation = Organisation.objects.get(code="0099")
    record_measurement(visits, organisation, "2022", Decimal(1000))
    planner = user_with_role("planerare", "planerare")
    reporter = user_with_role("rapportor", "rapportor", "styrelsen")
    save_followup(setting.goals[0], setting.period, actor=planner, responsible=reporter)
    return ManualSetting(
        setting,
        _target(first, share, ThresholdRule(minimum=Decimal(80))),
        _target(second, visits, ChangeRule("increase")),
        _target(setting.goals[1].indicators.first(), opinion, QualitativeRule()),
        planner,
        reporter,
    )
