"""Plain read functions for pages, exports and reports: simple data, a fixed number of queries.

For the reports (delårsrapport, verksamhetsberättelse, årsredovisning):

- ``plan_table(unit, year, user=...)`` — the unit's internkontrollplan: areas → risks →
  åtgärder, with each risk's assessment for the year (a nämnd's plan includes the region's
  region-wide risks);
- ``unit_followup(unit, period, user=...)`` — per åtgärd the unit's status, comment and
  avvikelser in the period;
- ``unit_assessment(unit, period)`` — the unit's ISK-bedömning;
- ``overall_assessment(organisation, period)`` — the units' bedömningar side by side, the
  proposed samlad bedömning and regionstyrelsens confirmed one.

``user`` limits the result to what that user may read (``visibility.py``); ``None`` reads
everything, for code that has checked access itself (a report job acting as its starter
should pass ``run.user``).
"""

from .assessments import (
    IskRow,
    OverallAssessment,
    overall_assessment,
    unit_assessment,
    year_end_period,
)
from .followups import (
    DeviationRow,
    MeasureFollowUp,
    UnitFollowUp,
    followup_periods,
    followup_statuses,
    reported_in_period,
    risk_followups,
    unit_followup,
)
from .plans import (
    AreaRow,
    MeasureRow,
    PlanTable,
    RiskRow,
    organisation_risks,
    plan_table,
    risk_rows,
    years,
)

__all__ = [
    "AreaRow",
    "DeviationRow",
    "IskRow",
    "MeasureFollowUp",
    "MeasureRow",
    "OverallAssessment",
    "PlanTable",
    "RiskRow",
    "UnitFollowUp",
    "followup_periods",
    "followup_statuses",
    "organisation_risks",
    "overall_assessment",
    "plan_table",
    "reported_in_period",
    "risk_followups",
    "risk_rows",
    "unit_assessment",
    "unit_followup",
    "year_end_period",
    "years",
]
